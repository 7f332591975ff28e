package io.hearth.gateway.api;

/**
 * The stable, machine-readable error codes of the app API (docs/api.md#errors), each with its HTTP
 * status. The WebSocket answers with the same names ({@code ws.WsError.Code}).
 */
public enum ErrorCode {
  MALFORMED_REQUEST(400, "Malformed request"),
  UNAUTHORIZED(401, "Unauthorized"),
  FORBIDDEN(403, "Forbidden"),
  DEVICE_NOT_FOUND(404, "Device not found"),
  COMMAND_NOT_FOUND(404, "Command not found"),
  NOT_FOUND(404, "Not found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  DEVICE_OFFLINE(409, "Device offline"),
  CONFLICT(409, "Conflict"),
  TOO_MANY_WAITING(409, "Too many commands waiting"),
  PAYLOAD_TOO_LARGE(413, "Payload too large"),
  URI_TOO_LONG(414, "URI too long"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  VALIDATION_FAILED(422, "Validation failed"),
  RATE_LIMITED(429, "Too many requests"),
  HEADERS_TOO_LARGE(431, "Request header fields too large"),
  INTERNAL(500, "Internal error"),
  DEVICE_REJECTED(502, "Device rejected the command"),
  UNAVAILABLE(503, "Service unavailable"),
  STORE_UNAVAILABLE(503, "Store unavailable"),
  COMMAND_TIMEOUT(504, "Command timed out"),
  OUTCOME_UNKNOWN(504, "Command outcome unknown");

  private final int status;
  private final String title;

  ErrorCode(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** The problem {@code type} URI for this code. */
  public String type() {
    return "https://hearth.dev/problems/" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
