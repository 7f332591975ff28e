package io.hearth.gateway.domain;

import java.util.List;

/** A request that breaks the rules (profile, limits, a reused idempotency key, …): one entry per problem. */
public final class ValidationException extends DomainException {
  private static final long serialVersionUID = 1L;

  private final transient List<FieldError> errors;

  public ValidationException(String detail, List<FieldError> errors) {
    super(detail);
    this.errors = List.copyOf(errors);
  }

  /** The problems, with a detail that sums them up: the one problem, or how many there are. */
  public static ValidationException of(List<FieldError> errors) {
    return new ValidationException(summary(errors), errors);
  }

  /** One problem with one property. */
  public static ValidationException of(String property, String message) {
    return of(List.of(new FieldError(property, message)));
  }

  public List<FieldError> errors() {
    return errors;
  }

  private static String summary(List<FieldError> errors) {
    if (errors.size() != 1) {
      return errors.size() + " problems in the request";
    }
    FieldError e = errors.get(0);
    return e.property().isEmpty() ? e.message() : e.property() + " " + e.message();
  }
}
