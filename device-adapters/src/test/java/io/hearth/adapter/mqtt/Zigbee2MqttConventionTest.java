package io.hearth.adapter.mqtt;

import static io.hearth.adapter.mqtt.Devices.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
class Zigbee2MqttConventionTest {

  private final MqttConvention z2m = MqttConventions.forName("zigbee2mqtt");
  private final DeviceDefinition light = Devices.mqtt("hall-light", "zigbee2mqtt", "hall_light");

  private Optional<Inbound> decode(String topic, String payload, Map<String, Object> commanded) {
    return z2m.decode(light, topic, utf8(payload), false, Instant.now(), commanded);
  }

  private Map<String, Object> state(String payload) {
    return ((Inbound.State) decode("zigbee2mqtt/hall_light", payload, Map.of()).orElseThrow()).report().properties();
  }

  @Test
  void topics() {
    assertEquals(Confirmation.STATE, z2m.confirmation());
    assertEquals(List.of("zigbee2mqtt/hall_light", "zigbee2mqtt/hall_light/availability"), z2m.subscriptions(light));
    assertEquals(List.of("zigbee2mqtt/hall-light", "zigbee2mqtt/hall-light/availability"),
        z2m.subscriptions(Devices.mqtt("hall-light", "zigbee2mqtt", null)));
    assertEquals(List.of("zigbee2mqtt/hall_light/set", "zigbee2mqtt/hall_light/get"), z2m.permissions(light).subscribe());
    assertThrows(IllegalArgumentException.class, () -> z2m.subscriptions(Devices.mqtt("x", "zigbee2mqtt", "a/#")));
  }

  @Test
  void encodesOneSetWithMappedValuesAndPassThrough() throws Exception {
    List<Outbound> out = z2m.encode(light, Devices.set("hall-light",
        Map.of("power", true, "brightness", 60L, "color_temp", 4000L, "effect", "blink")));
    assertEquals(1, out.size());
    assertEquals("zigbee2mqtt/hall_light/set", out.get(0).topic());
    ObjectMapper json = new ObjectMapper();
    assertEquals(json.readTree("{\"state\":\"ON\",\"brightness\":153,\"color_temp\":250,\"effect\":\"blink\"}"),
        json.readTree(out.get(0).payload()));
    assertThrows(IllegalArgumentException.class, () -> z2m.encode(light, Devices.action("hall-light", "open", Map.of())));
  }

  @Test
  void brightnessRoundTripIsExactForEveryPercentage() {
    for (int p = 0; p <= 100; p++) {
      long z = Zigbee2MqttConvention.brightnessToZigbee(p);
      assertTrue(z >= 0 && z <= 254);
      assertEquals(p, Zigbee2MqttConvention.brightnessFromZigbee(z), "percent " + p);
    }
    assertEquals(254, Zigbee2MqttConvention.brightnessToZigbee(100));
    assertEquals(153, Zigbee2MqttConvention.brightnessToZigbee(60)); // contract example value
    assertEquals(100, Zigbee2MqttConvention.brightnessFromZigbee(254));
  }

  @Test
  void colourTemperatureRoundTripOverTheProfileRange() {
    for (int k = 2700; k <= 6500; k++) {
      long mired = Zigbee2MqttConvention.kelvinToMired(k);
      assertEquals(Math.round(1e6 / k), mired);
      // with the commanded value known, the device's echo confirms exactly
      assertEquals(k, Zigbee2MqttConvention.miredToKelvin(mired, (long) k), "kelvin " + k);
      // without it, the result is the Kelvin value nearest to the mired, within half a mired
      long back = Zigbee2MqttConvention.miredToKelvin(mired, null);
      assertEquals(Math.round(1e6 / mired), back);
      assertTrue(Math.abs(1e6 / back - 1e6 / k) <= 0.5 + 1e-6 + Math.abs(1e6 / back - mired), "kelvin " + k);
      assertEquals(mired, Zigbee2MqttConvention.kelvinToMired(back), "re-encoding is stable for " + k);
    }
    // a mired that is not the commanded one decodes plainly
    assertEquals(4000, Zigbee2MqttConvention.miredToKelvin(250, 3000L));
  }

  @Test
  void decodesStateWithMappingsAndPassThrough() {
    Map<String, Object> s = state("{\"state\":\"ON\",\"brightness\":153,\"color_temp\":333,\"linkquality\":87,"
        + "\"color\":{\"x\":0.3,\"y\":0.3},\"update\":null}");
    assertEquals(Map.of("power", true, "brightness", 60L, "color_temp", 3003L, "linkquality", 87L), s);
    Inbound.State echoed = (Inbound.State) decode("zigbee2mqtt/hall_light", "{\"color_temp\":333}",
        Map.of("color_temp", 3000L)).orElseThrow();
    assertEquals(3000L, echoed.report().properties().get("color_temp"));
  }

  @Test
  void decodesBothAvailabilityForms() {
    assertEquals(new Inbound.Availability("hall-light", true, null),
        decode("zigbee2mqtt/hall_light/availability", "{\"state\":\"online\"}", Map.of()).orElseThrow());
    assertEquals(new Inbound.Availability("hall-light", false, "timeout"),
        decode("zigbee2mqtt/hall_light/availability", "offline", Map.of()).orElseThrow());
  }

  @Test
  void garbageIsRejected() {
    for (String[] bad : new String[][] {
        {"zigbee2mqtt/hall_light", "ON"},
        {"zigbee2mqtt/hall_light", "[]"},
        {"zigbee2mqtt/hall_light", "{\"state\":true}"},
        {"zigbee2mqtt/hall_light", "{\"brightness\":\"high\"}"},
        {"zigbee2mqtt/hall_light", "{\"color_temp\":0}"},
        {"zigbee2mqtt/hall_light/availability", "{\"state\":1}"},
        {"zigbee2mqtt/hall_light/availability", "{\"state\":\"gone\"}"},
        {"zigbee2mqtt/hall_light/availability", "{broken"},
    }) {
      assertThrows(MalformedPayloadException.class, () -> decode(bad[0], bad[1], Map.of()), bad[0] + " " + bad[1]);
    }
  }
}
