package io.hearth.gateway.ws;

import java.util.Objects;

/**
 * An error answer on the app's WebSocket: {@code {"code","message"}} in a {@code result} with
 * {@code "ok":false} ({@link WsMessages#error}). Thrown by the protocol's own checks (a malformed
 * message, no authentication yet) and made by {@link WsErrors} from the domain's refusals.
 */
final class WsError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The codes the WebSocket answers with: the REST codes of the same names (docs/api.md#errors). */
  enum Code {
    MALFORMED_REQUEST, UNAUTHORIZED, VALIDATION_FAILED, DEVICE_NOT_FOUND, COMMAND_NOT_FOUND, DEVICE_OFFLINE,
    RATE_LIMITED, INTERNAL, DEVICE_REJECTED, UNAVAILABLE, STORE_UNAVAILABLE, COMMAND_TIMEOUT, TOO_MANY_WAITING,
    OUTCOME_UNKNOWN
  }

  private final Code code;

  WsError(Code code, String message) {
    super(message, null, false, false);
    this.code = Objects.requireNonNull(code, "code");
  }

  static WsError malformed(String message) {
    return new WsError(Code.MALFORMED_REQUEST, message);
  }

  Code code() {
    return code;
  }
}
