package io.hearth.gateway.api;

import java.util.List;
import java.util.Objects;

/**
 * A failure meant for the API client: carries its {@link ErrorCode}, a human detail and, for
 * validation failures, one entry per problem. Converted to RFC 9457 problem+json once, at the edge
 * (REST or WebSocket).
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final transient List<FieldError> errors;

  public ApiException(ErrorCode code, String detail) {
    this(code, detail, List.of());
  }

  public ApiException(ErrorCode code, String detail, List<FieldError> errors) {
    super(detail, null, false, false);
    this.code = Objects.requireNonNull(code, "code");
    this.errors = List.copyOf(errors);
  }

  public ErrorCode code() {
    return code;
  }

  public List<FieldError> errors() {
    return errors;
  }

  public static ApiException deviceNotFound(String id) {
    return new ApiException(ErrorCode.DEVICE_NOT_FOUND, "no device '" + id + "'");
  }

  public static ApiException validation(List<FieldError> errors) {
    return new ApiException(ErrorCode.VALIDATION_FAILED,
        errors.size() != 1 ? errors.size() + " problems in the request"
            : errors.get(0).property().isEmpty() ? errors.get(0).message()
            : errors.get(0).property() + " " + errors.get(0).message(), errors);
  }

  /** One problem with one property of a request ({@code brightness}: {@code must be ≤ 100}). */
  public record FieldError(String property, String message) {}
}
