package io.hearth.relay.http;

import java.util.Locale;

/**
 * The relay's own error codes (docs/relay.md, "Errors"), each with its HTTP status; every one is
 * answered as an RFC 9457 problem, the same shape as the hub's ({@code docs/api.md}, "Errors").
 */
public enum RelayError {
  MALFORMED_REQUEST(400, "Malformed request"),
  RELAY_SESSION_INVALID(401, "Relay session invalid"),
  WECHAT_CODE_INVALID(401, "WeChat login code invalid"),
  HUB_KEY_INVALID(401, "Hub key invalid"),
  FORBIDDEN(403, "Forbidden"),
  NOT_FOUND(404, "Not found"),
  PAYLOAD_TOO_LARGE(413, "Payload too large"),
  VALIDATION_FAILED(422, "Validation failed"),
  RATE_LIMITED(429, "Too many requests"),
  WECHAT_RATE_LIMITED(429, "WeChat rate limit"),
  INTERNAL(500, "Internal error"),
  HUB_CONNECTION_LOST(502, "Hub connection lost"),
  WECHAT_ERROR(502, "WeChat error"),
  HUB_OFFLINE(503, "Hub offline"),
  HUB_BUSY(503, "Hub busy"),
  WECHAT_BUSY(503, "WeChat busy"),
  HUB_TIMEOUT(504, "Hub timeout");

  private final int status;
  private final String title;

  RelayError(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** {@code https://hearth.dev/problems/hub-offline}. */
  public String type() {
    return "https://hearth.dev/problems/" + name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
