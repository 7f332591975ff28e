package io.hearth.relay.tunnel;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** The hub's answer to a forwarded request, or to a WebSocket open it refused: status, headers, body. */
public record TunnelResponse(int status, JsonObject headers, Buffer body) {
  static TunnelResponse of(JsonObject frame) {
    return new TunnelResponse(frame.getInteger("status", 502), frame.getJsonObject("headers", new JsonObject()),
        Frames.decode(frame.getString("body")));
  }
}
