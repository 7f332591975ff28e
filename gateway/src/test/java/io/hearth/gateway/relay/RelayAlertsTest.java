package io.hearth.gateway.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hearth.gateway.events.GatewayEvent;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RelayAlertsTest {
  private static GatewayEvent event(String kind, Map<String, Object> data) {
    return new GatewayEvent(7, kind, "front-door", Instant.parse("2026-12-03T18:00:00.123Z"), data);
  }

  @Test
  void locksOpenedContactsAndOfflineDevicesAreAlerts() {
    assertEquals(Optional.of("unlocked"), RelayAlerts.text(event("state", Map.of("changes", Map.of("locked", false)))));
    assertEquals(Optional.of("opened"), RelayAlerts.text(event("state", Map.of("changes", Map.of("open", true)))));
    assertEquals(Optional.of("offline"), RelayAlerts.text(event("availability", Map.of("online", false,
        "reason", "lwt"))));
    assertEquals(Optional.empty(), RelayAlerts.text(event("state", Map.of("changes", Map.of("locked", true)))));
    assertEquals(Optional.empty(), RelayAlerts.text(event("state", Map.of("changes", Map.of("brightness", 3)))));
    assertEquals(Optional.empty(), RelayAlerts.text(event("availability", Map.of("online", true))));
  }

  @Test
  void anAlertFrameNamesTheDevice() {
    List<JsonObject> sent = new ArrayList<>();
    new RelayAlerts(id -> "Front door", sent::add).accept(event("state", Map.of("changes", Map.of("open", true))));
    assertEquals(new JsonObject().put("t", "alert").put("device", "front-door").put("deviceName", "Front door")
        .put("text", "opened").put("ts", "2026-12-03T18:00:00.123Z"), sent.get(0));
  }
}
