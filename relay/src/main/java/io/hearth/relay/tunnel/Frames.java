package io.hearth.relay.tunnel;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;

/**
 * The tunnel's wire format (docs/relay.md, "The tunnel protocol"): one JSON object per WebSocket
 * text message, {@code t} naming its type and {@code id} the request or stream it belongs to.
 * Bodies travel base64-encoded in {@code body}; app WebSocket messages as {@code text}.
 */
public final class Frames {
  // relay → hub
  public static final String LINKED = "linked";
  public static final String REQUEST = "req";
  public static final String WS_OPEN = "ws_open";
  // hub → relay
  public static final String RESPONSE = "res";
  public static final String WS_ACCEPT = "ws_accept";
  public static final String WS_REJECT = "ws_reject";
  public static final String ALERT = "alert";
  // both ways
  public static final String WS_DATA = "ws_data";
  public static final String WS_CLOSE = "ws_close";

  /** Request headers the relay forwards to the hub (the app's bearer token untouched). */
  public static final List<String> REQUEST_HEADERS = List.of("Authorization", "Content-Type", "Accept",
      "Idempotency-Key");
  /** Response headers the relay passes back to the app. */
  public static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Retry-After", "WWW-Authenticate",
      "Location", "Allow");

  private Frames() {}

  public static JsonObject headers(MultiMap from, List<String> names) {
    JsonObject out = new JsonObject();
    for (String n : names) {
      String v = from.get(n);
      if (v != null) {
        out.put(n, v);
      }
    }
    return out;
  }

  public static String encode(Buffer body) {
    return body == null || body.length() == 0 ? null : Base64.getEncoder().encodeToString(body.getBytes());
  }

  public static Buffer decode(String body) {
    return body == null ? Buffer.buffer() : Buffer.buffer(Base64.getDecoder().decode(body));
  }
}
