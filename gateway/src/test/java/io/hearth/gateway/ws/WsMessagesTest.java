package io.hearth.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hearth.gateway.events.GatewayEvent;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Event frames: encoded once per event, each frame still whole and with its own subscription. */
class WsMessagesTest {

  @Test
  void framesOfOneEventDifferOnlyInTheirSubscription() {
    GatewayEvent e = new GatewayEvent(41, GatewayEvent.STATE, "lamp \"1\"", Instant.parse("2026-12-01T10:00:00Z"),
        Map.of("state", Map.of("power", true)));
    JsonObject a = new JsonObject(WsMessages.event(1, e));
    JsonObject b = new JsonObject(WsMessages.event(7, e));
    assertEquals(new JsonObject().put("type", "event").put("subscription", 1).put("seq", 41).put("kind", "state")
        .put("device", "lamp \"1\"").put("ts", "2026-12-01T10:00:00.000Z")
        .put("data", new JsonObject().put("state", new JsonObject().put("power", true))), a);
    assertEquals(7, b.getInteger("subscription"));
    assertEquals(a.copy().put("subscription", 7), b);
  }

  @Test
  void aNewEventIsEncodedAfreshEvenWithTheSameSequenceNumber() {
    Instant ts = Instant.parse("2026-12-01T10:00:00Z");
    GatewayEvent first = new GatewayEvent(5, GatewayEvent.STATE, "lamp", ts, Map.of("brightness", 1));
    GatewayEvent second = new GatewayEvent(5, GatewayEvent.STATE, "lamp", ts, Map.of("brightness", 2));
    assertEquals(1, new JsonObject(WsMessages.event(1, first)).getJsonObject("data").getInteger("brightness"));
    assertEquals(2, new JsonObject(WsMessages.event(1, second)).getJsonObject("data").getInteger("brightness"));
    assertEquals(1, new JsonObject(WsMessages.event(2, first)).getJsonObject("data").getInteger("brightness"));
  }
}
