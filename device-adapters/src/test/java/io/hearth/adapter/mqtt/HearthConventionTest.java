package io.hearth.adapter.mqtt;

import static io.hearth.adapter.mqtt.Devices.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.adapter.DeviceAdapter.Confirmation;
import io.hearth.adapter.payload.MalformedPayloadException;
import io.hearth.device.DeviceDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HearthConventionTest {

  private final MqttConvention hearth = MqttConventions.forName("hearth");
  private final DeviceDefinition lamp = Devices.mqtt("living-lamp", "hearth", null);
  private final Instant now = Instant.parse("2026-11-25T10:00:00Z");

  private Optional<Inbound> decode(String topic, String payload, boolean retained) {
    return hearth.decode(lamp, topic, utf8(payload), retained, now, Map.of());
  }

  @Test
  void subscriptionsPermissionsAndConfirmation() {
    assertEquals(Confirmation.REPLY, hearth.confirmation());
    assertEquals(List.of("hearth/living-lamp/reply", "hearth/living-lamp/state", "hearth/living-lamp/availability",
        "hearth/living-lamp/event/+"), hearth.subscriptions(lamp));
    TopicPermissions p = MqttConventions.permissionsFor(lamp);
    assertEquals(List.of("hearth/living-lamp/state", "hearth/living-lamp/reply", "hearth/living-lamp/availability",
        "hearth/living-lamp/event/+"), p.publish());
    assertEquals(List.of("hearth/living-lamp/set", "hearth/living-lamp/action/+"), p.subscribe());
  }

  @Test
  void encodesSetAndAction() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<Outbound> set = hearth.encode(lamp, Devices.set("living-lamp", Map.of("brightness", 60L, "power", true)));
    assertEquals(1, set.size());
    assertEquals("hearth/living-lamp/set", set.get(0).topic());
    JsonNode body = json.readTree(set.get(0).payload());
    assertEquals("c-1", body.get("cid").textValue());
    assertEquals(60, body.get("props").get("brightness").intValue());
    assertTrue(body.get("props").get("power").booleanValue());

    List<Outbound> action = hearth.encode(lamp, Devices.action("living-lamp", "blink", Map.of("times", 3L)));
    assertEquals("hearth/living-lamp/action/blink", action.get(0).topic());
    assertEquals(json.readTree("{\"cid\":\"c-2\",\"input\":{\"times\":3}}"), json.readTree(action.get(0).payload()));
  }

  @Test
  void refusesActionNamesThatAreNotOneTopicLevel() {
    assertThrows(IllegalArgumentException.class,
        () -> hearth.encode(lamp, Devices.action("living-lamp", "a/b", Map.of())));
    assertThrows(IllegalArgumentException.class,
        () -> hearth.encode(lamp, Devices.action("living-lamp", "#", Map.of())));
  }

  @Test
  void decodesStateWithTypesAndRetainedFlag() {
    Inbound.State s = (Inbound.State) decode("hearth/living-lamp/state",
        "{\"power\":true,\"brightness\":40,\"temp\":21.5,\"whole\":3.0,\"mode\":\"heat\",\"nested\":{\"a\":1},\"n\":null}", true)
        .orElseThrow();
    // a nested value is kept (the profile check refuses and counts it); null is left out
    assertEquals(Map.of("power", true, "brightness", 40L, "temp", 21.5, "whole", 3L, "mode", "heat",
        "nested", Map.of("a", 1)), s.report().properties());
    assertTrue(s.report().retained());
    assertEquals(now, s.report().receivedAt());
    assertEquals("living-lamp", s.deviceId());
  }

  @Test
  void decodesReplies() {
    Inbound.Reply ok = (Inbound.Reply) decode("hearth/living-lamp/reply", "{\"cid\":\"c-9\",\"ok\":true}", false).orElseThrow();
    assertEquals("c-9", ok.reply().commandId());
    assertTrue(ok.reply().ok());
    Inbound.Reply no = (Inbound.Reply) decode("hearth/living-lamp/reply",
        "{\"cid\":\"c-9\",\"ok\":false,\"error\":\"motor stalled\"}", false).orElseThrow();
    assertFalse(no.reply().ok());
    assertEquals("motor stalled", no.reply().error());
    Inbound.Reply bare = (Inbound.Reply) decode("hearth/living-lamp/reply", "{\"cid\":\"c-9\",\"ok\":false}", false).orElseThrow();
    assertEquals("rejected by the device", bare.reply().error());
    assertTrue(decode("hearth/living-lamp/reply", "{\"cid\":\"c-9\",\"ok\":true}", true).isEmpty(), "retained reply ignored");
  }

  @Test
  void decodesEventsAndAvailability() {
    Inbound.Event e = (Inbound.Event) decode("hearth/living-lamp/event/overheat", "{\"temp\":80.5}", false).orElseThrow();
    assertEquals("overheat", e.event().name());
    assertEquals(Map.of("temp", 80.5), e.event().data());
    assertEquals(Map.of(), ((Inbound.Event) decode("hearth/living-lamp/event/jammed", "", false).orElseThrow()).event().data());

    assertEquals(new Inbound.Availability("living-lamp", false, "lwt"),
        decode("hearth/living-lamp/availability", "offline", true).orElseThrow());
    assertEquals(new Inbound.Availability("living-lamp", true, null),
        decode("hearth/living-lamp/availability", "online\n", true).orElseThrow());
  }

  @Test
  void clearedRetainedMessagesAndForeignTopicsAreIgnored() {
    assertTrue(decode("hearth/living-lamp/state", "", true).isEmpty());
    assertTrue(decode("hearth/living-lamp/state", "", false).isEmpty(), "a clear forwarded live");
    assertTrue(decode("hearth/other/state", "{}", false).isEmpty());
    assertTrue(decode("hearth/living-lamp/unknown", "{}", false).isEmpty());
  }

  @Test
  void garbageIsRejected() {
    for (String[] bad : new String[][] {
        {"hearth/living-lamp/state", "not json"},
        {"hearth/living-lamp/state", "[1,2]"},
        {"hearth/living-lamp/state", "42"},
        {"hearth/living-lamp/state", "{\"a\":1} trailing"},
        {"hearth/living-lamp/state", "{\"a\":1,\"a\":2}"},
        {"hearth/living-lamp/reply", "{\"cid\":5,\"ok\":true}"},
        {"hearth/living-lamp/reply", "{\"cid\":\"x\",\"ok\":\"yes\"}"},
        {"hearth/living-lamp/reply", "{\"ok\":true}"},
        {"hearth/living-lamp/availability", "maybe"},
        {"hearth/living-lamp/event/x", "\"str\""},
    }) {
      assertThrows(MalformedPayloadException.class, () -> decode(bad[0], bad[1], false), bad[0] + " " + bad[1]);
    }
  }
}
