package io.hearth.gateway.relay;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;

/**
 * The tunnel's wire format, hub side (docs/relay.md, "The tunnel protocol"): one JSON object per
 * WebSocket text message, {@code t} its type, {@code id} the request or stream; bodies base64.
 */
final class TunnelFrames {
  static final String LINKED = "linked";
  static final String REQUEST = "req";
  static final String RESPONSE = "res";
  static final String WS_OPEN = "ws_open";
  static final String WS_ACCEPT = "ws_accept";
  static final String WS_REJECT = "ws_reject";
  static final String WS_DATA = "ws_data";
  static final String WS_CLOSE = "ws_close";
  static final String ALERT = "alert";

  /** Request headers the hub takes from a forwarded request; anything else is dropped. */
  static final List<String> REQUEST_HEADERS = List.of("Authorization", "Content-Type", "Accept", "Idempotency-Key");
  /** Response headers the hub sends back. */
  static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Retry-After", "WWW-Authenticate", "Location",
      "Allow");

  private TunnelFrames() {}

  static String encode(Buffer body) {
    return body == null || body.length() == 0 ? null : Base64.getEncoder().encodeToString(body.getBytes());
  }

  static Buffer decode(String body) {
    return body == null ? Buffer.buffer() : Buffer.buffer(Base64.getDecoder().decode(body));
  }

  /** A problem+json answer made by the hub's tunnel itself (the request never reached the API). */
  static JsonObject problem(long id, int status, String code, String detail) {
    JsonObject p = new JsonObject().put("type", "https://hearth.dev/problems/" + code.toLowerCase().replace('_', '-'))
        .put("title", code).put("status", status).put("detail", detail).put("code", code);
    return new JsonObject().put("t", RESPONSE).put("id", id).put("status", status)
        .put("headers", new JsonObject().put("Content-Type", "application/problem+json"))
        .put("body", encode(p.toBuffer()));
  }
}
