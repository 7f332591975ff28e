package io.hearth.adapter.mqtt;

import static io.hearth.adapter.mqtt.Devices.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
class TasmotaConventionTest {

  private final MqttConvention tasmota = MqttConventions.forName("tasmota");
  private final DeviceDefinition plug = Devices.mqtt("desk-plug", "tasmota", "tasmota_1A2B3C");

  private Optional<Inbound> decode(String topic, String payload) {
    return tasmota.decode(plug, topic, utf8(payload), false, Instant.now(), Map.of());
  }

  private Map<String, Object> state(String topic, String payload) {
    return ((Inbound.State) decode(topic, payload).orElseThrow()).report().properties();
  }

  @Test
  void topicsDefaultToTheDeviceId() {
    assertEquals(Confirmation.STATE, tasmota.confirmation());
    assertEquals(List.of("stat/tasmota_1A2B3C/RESULT", "stat/tasmota_1A2B3C/POWER", "tele/tasmota_1A2B3C/STATE",
        "tele/tasmota_1A2B3C/SENSOR", "tele/tasmota_1A2B3C/LWT"), tasmota.subscriptions(plug));
    assertEquals("stat/desk-plug/RESULT", tasmota.subscriptions(Devices.mqtt("desk-plug", "tasmota", null)).get(0));
    TopicPermissions p = tasmota.permissions(plug);
    assertEquals(List.of("stat/tasmota_1A2B3C/+", "tele/tasmota_1A2B3C/+"), p.publish());
    assertEquals(List.of("cmnd/tasmota_1A2B3C/+"), p.subscribe());
  }

  @Test
  void encodesDimmerBeforePowerOnePublishEach() {
    List<Outbound> out = tasmota.encode(plug, Devices.set("desk-plug", Map.of("power", false, "brightness", 60L)));
    assertEquals(2, out.size());
    assertEquals("cmnd/tasmota_1A2B3C/Dimmer", out.get(0).topic());
    assertEquals("60", out.get(0).payloadText());
    assertEquals("cmnd/tasmota_1A2B3C/POWER", out.get(1).topic());
    assertEquals("OFF", out.get(1).payloadText());
    assertEquals("ON", tasmota.encode(plug, Devices.set("desk-plug", Map.of("power", true))).get(0).payloadText());
  }

  @Test
  void refusesWhatTasmotaCannotExpress() {
    assertThrows(IllegalArgumentException.class,
        () -> tasmota.encode(plug, Devices.set("desk-plug", Map.of("color_temp", 3000L))));
    assertThrows(IllegalArgumentException.class,
        () -> tasmota.encode(plug, Devices.action("desk-plug", "blink", Map.of())));
    assertThrows(IllegalArgumentException.class,
        () -> tasmota.encode(plug, Devices.set("desk-plug", Map.of("brightness", 101L))));
    assertThrows(IllegalArgumentException.class,
        () -> tasmota.encode(plug, Devices.set("desk-plug", Map.of("power", "ON"))));
  }

  @Test
  void decodesResultPowerStateAndSensor() {
    assertEquals(Map.of("power", true, "brightness", 60L), state("stat/tasmota_1A2B3C/RESULT", "{\"POWER\":\"ON\",\"Dimmer\":60}"));
    assertEquals(Map.of("power", false), state("stat/tasmota_1A2B3C/POWER", "OFF"));
    assertEquals(Map.of("power", true, "brightness", 10L), state("tele/tasmota_1A2B3C/STATE",
        "{\"Time\":\"2026-11-25T10:00:00\",\"Uptime\":\"0T01:00:00\",\"POWER\":\"ON\",\"Dimmer\":10,\"Wifi\":{\"RSSI\":80}}"));
    assertEquals(Map.of("power_w", 12L, "energy_kwh", 1.532), state("tele/tasmota_1A2B3C/SENSOR",
        "{\"Time\":\"2026-11-25T10:00:00\",\"ENERGY\":{\"Total\":1.532,\"Yesterday\":0.2,\"Power\":12,\"Voltage\":230}}"));
  }

  @Test
  void decodesLwt() {
    assertEquals(new Inbound.Availability("desk-plug", false, "lwt"), decode("tele/tasmota_1A2B3C/LWT", "Offline").orElseThrow());
    assertEquals(new Inbound.Availability("desk-plug", true, null), decode("tele/tasmota_1A2B3C/LWT", "Online").orElseThrow());
  }

  @Test
  void resultsWithoutModelledValuesReportNothing() {
    assertTrue(decode("stat/tasmota_1A2B3C/RESULT", "{\"Fade\":\"ON\"}").isEmpty());
    assertTrue(decode("tele/tasmota_1A2B3C/SENSOR", "{\"Time\":\"x\"}").isEmpty());
  }

  @Test
  void garbageIsRejected() {
    for (String[] bad : new String[][] {
        {"stat/tasmota_1A2B3C/RESULT", "ON"},
        {"stat/tasmota_1A2B3C/RESULT", "{\"POWER\":1}"},
        {"stat/tasmota_1A2B3C/RESULT", "{\"POWER\":\"MAYBE\"}"},
        {"stat/tasmota_1A2B3C/RESULT", "{\"Dimmer\":\"60\"}"},
        {"stat/tasmota_1A2B3C/POWER", "{\"POWER\":\"ON\"}"},
        {"tele/tasmota_1A2B3C/SENSOR", "{\"ENERGY\":5}"},
        {"tele/tasmota_1A2B3C/SENSOR", "{\"ENERGY\":{\"Power\":\"12W\"}}"},
        {"tele/tasmota_1A2B3C/LWT", "Sleeping"},
    }) {
      assertThrows(MalformedPayloadException.class, () -> decode(bad[0], bad[1]), bad[0] + " " + bad[1]);
    }
  }
}
