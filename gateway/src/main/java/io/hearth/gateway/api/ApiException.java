package io.hearth.gateway.api;

import io.hearth.gateway.domain.FieldError;
import io.hearth.gateway.domain.ValidationException;
import java.util.List;
import java.util.Objects;

/**
 * A failure of the REST edge itself (malformed request, missing token, rate limit, …) with its
 * {@link ErrorCode}, a human detail and, for validation failures, one entry per problem; also what
 * {@link Problems} converts a domain exception to. Rendered as RFC 9457 problem+json once, by
 * {@link Problems}.
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
    return new ApiException(ErrorCode.VALIDATION_FAILED, ValidationException.of(errors).getMessage(), errors);
  }
}
