package io.hearth.gateway.ws;

import io.hearth.gateway.api.ApiException;
import io.hearth.gateway.events.EventLog;
import io.hearth.gateway.events.GatewayEvent;
import io.vertx.core.json.JsonObject;

/** The server's messages on the app's WebSocket ({@code docs/websocket.md}), as JSON text. */
final class WsMessages {
  static final String AUTH_OK = "{\"type\":\"auth_ok\"}";
  static final String AUTH_INVALID = "{\"type\":\"auth_invalid\"}";

  private WsMessages() {}

  static String result(Object id, Object result) {
    return new JsonObject().put("id", id).put("type", "result").put("ok", true).put("result", result).encode();
  }

  static String error(Object id, ApiException e) {
    return errorObject(id, e).encode();
  }

  /** A {@code RATE_LIMITED} error that also says when to try again: {@code "retryAfter"} in seconds. */
  static String rateLimited(Object id, ApiException e, long retryAfterSeconds) {
    JsonObject m = errorObject(id, e);
    m.getJsonObject("error").put("retryAfter", retryAfterSeconds);
    return m.encode();
  }

  private static JsonObject errorObject(Object id, ApiException e) {
    return new JsonObject().put("id", id).put("type", "result").put("ok", false)
        .put("error", new JsonObject().put("code", e.code().name()).put("message", e.getMessage()));
  }

  static String pong(Object id) {
    return new JsonObject().put("id", id).put("type", "pong").encode();
  }

  /**
   * An event frame: {@code {"type":"event","subscription":N,"seq":…,"kind":…,"device":…,"ts":…,"data":…}}.
   * Only the subscription differs between the frames of one event, so the rest is encoded once per
   * event and kept for the next frame (one event goes to every connection in turn): the fan-out to
   * 100 clients encoded the same event 100 times.
   */
  static String event(int subscription, GatewayEvent e) {
    Encoded last = lastEncoded;
    if (last == null || last.event != e) {
      String body = new JsonObject().put("seq", e.seq()).put("kind", e.kind()).put("device", e.deviceId())
          .put("ts", EventLog.wireTime(e)).put("data", e.data()).encode();
      last = new Encoded(e, body.substring(1)); // without its opening brace
      lastEncoded = last;
    }
    return "{\"type\":\"event\",\"subscription\":" + subscription + "," + last.rest;
  }

  /** The last event encoded, without its opening brace (immutable: safe to share between threads). */
  private record Encoded(GatewayEvent event, String rest) {}

  private static volatile Encoded lastEncoded;
}
