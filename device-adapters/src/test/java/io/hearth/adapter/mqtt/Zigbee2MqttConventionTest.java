package io.hearth.adapter.mqtt;

import static io.hearth.adapter.mqtt.Devices.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.adapter.DeviceAdapter.Confirmation;
import io.hearth.adapter.Supports;
import io.hearth.adapter.TestProfiles;
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

  @Test
  void topics() {
    assertEquals(Confirmation.STATE, z2m.confirmation());
    assertEquals(List.of("zigbee2mqtt/hall_light", "zigbee2mqtt/hall_light/availability"), z2m.subscriptions(light));
    assertEquals(List.of("zigbee2mqtt/hall-light", "zigbee2mqtt/hall-light/availability"),
        z2m.subscriptions(Devices.mqtt("hall-light", "zigbee2mqtt", null)));
    assertEquals(List.of("zigbee2mqtt/hall_light/set", "zigbee2mqtt/hall_light/get"), z2m.permissions(light).subscribe());
    assertThrows(IllegalArgumentException.class, () -> z2m.subscriptions(Devices.mqtt("x", "zigbee2mqtt", "a/#")));
  }

  private final ObjectMapper json = new ObjectMapper();

  private DeviceDefinition device(String profile) {
    return Devices.mqtt("dev", "zigbee2mqtt", "dev", profile);
  }

  private Map<String, Object> state(String profile, String payload) {
    return ((Inbound.State) z2m.decode(device(profile), "zigbee2mqtt/dev", utf8(payload), false, Instant.now(), Map.of())
        .orElseThrow()).report().properties();
  }

  private void assertSet(String profile, Map<String, Object> set, String expectedBody) throws Exception {
    List<Outbound> out = z2m.encode(device(profile), Devices.set("dev", set));
    assertEquals(1, out.size());
    assertEquals("zigbee2mqtt/dev/set", out.get(0).topic());
    assertEquals(json.readTree(expectedBody), json.readTree(out.get(0).payload()));
  }

  @Test
  void lightEncodesOneSetWithScaledValues() throws Exception {
    // toZigbee.ts: on_off takes state ON/OFF, light_onoff_brightness 0–254, light_colortemp mired
    List<Outbound> out = z2m.encode(light, Devices.set("hall-light",
        Map.of("power", true, "brightness", 60L, "color_temp", 4000L)));
    assertEquals(1, out.size());
    assertEquals("zigbee2mqtt/hall_light/set", out.get(0).topic());
    assertEquals(json.readTree("{\"state\":\"ON\",\"brightness\":153,\"color_temp\":250}"),
        json.readTree(out.get(0).payload()));
    assertSet("light.dimmable", Map.of("color_temp", 2000L), "{\"color_temp\":500}");
    // the light profile's blink has no Zigbee2MQTT counterpart (its effect blinks once)
    assertThrows(IllegalArgumentException.class, () -> z2m.encode(light, Devices.action("hall-light", "blink", Map.of())));
    assertThrows(IllegalArgumentException.class,
        () -> z2m.encode(light, Devices.set("hall-light", Map.of("effect", "blink"))));
  }

  @Test
  void lightColourTemperatureOverTheFullMiredRangeIsClampedNeverDropped() {
    // exposes.ts withColorTemp: [150, 500] mired unless the device says otherwise
    assertEquals(Map.of("power", true, "brightness", 60L, "color_temp", 6500L),
        state("light.dimmable", "{\"state\":\"ON\",\"brightness\":153,\"color_temp\":153,"
            + "\"color_mode\":\"color_temp\",\"linkquality\":87}"));
    assertEquals(6500L, state("light.dimmable", "{\"color_temp\":150}").get("color_temp"));
    assertEquals(2000L, state("light.dimmable", "{\"color_temp\":500}").get("color_temp"));
    assertEquals(2000L, state("light.dimmable", "{\"color_temp\":555}").get("color_temp"));
    assertEquals(3003L, state("light.dimmable", "{\"color_temp\":333}").get("color_temp"));
    // xy colour mode: color_temp may be null, nothing to report for it
    assertEquals(Map.of("power", false), state("light.dimmable", "{\"state\":\"OFF\",\"color_temp\":null}"));
  }

  @Test
  void brightnessRoundTripIsExactForEveryPercentage() {
    for (int p = 0; p <= 100; p++) {
      long z = Zigbee2MqttMapping.brightnessToZigbee(p);
      assertTrue(z >= 0 && z <= 254);
      assertEquals(p, Zigbee2MqttMapping.brightnessFromZigbee(z), "percent " + p);
    }
    assertEquals(254, Zigbee2MqttMapping.brightnessToZigbee(100));
    assertEquals(153, Zigbee2MqttMapping.brightnessToZigbee(60)); // contract example value
    assertEquals(100, Zigbee2MqttMapping.brightnessFromZigbee(254));
  }

  @Test
  void colourTemperatureRoundTripOverTheProfileRange() {
    for (int k = 2000; k <= 6500; k++) {
      long mired = ColorTemp.kelvinToMired(k);
      assertEquals(Math.round(1e6 / k), mired);
      // with the commanded value known, the device's echo confirms exactly
      assertEquals(k, ColorTemp.miredToKelvin(mired, (long) k), "kelvin " + k);
      // without it, the result is the Kelvin value nearest to the mired, within half a mired
      long back = ColorTemp.miredToKelvin(mired, null);
      assertTrue(back >= 2000 && back <= 6500, "kelvin " + k);
      assertEquals(mired, ColorTemp.kelvinToMired(back), "re-encoding is stable for " + k);
    }
    // a mired that is not the commanded one decodes plainly
    assertEquals(4000, ColorTemp.miredToKelvin(250, 3000L));
    Inbound.State echoed = (Inbound.State) decode("zigbee2mqtt/hall_light", "{\"color_temp\":333}",
        Map.of("color_temp", 3000L)).orElseThrow();
    assertEquals(3000L, echoed.report().properties().get("color_temp"));
  }

  @Test
  void plugStateIsTheSwitchAndPowerIsWatts() throws Exception {
    // fromZigbee.ts: on_off → state, electrical_measurement activePower → power (W),
    // metering currentSummDelivered → energy (kWh)
    assertEquals(Map.of("power", true, "power_w", 45.2, "energy_kwh", 1.23),
        state("plug", "{\"state\":\"ON\",\"power\":45.2,\"energy\":1.23,\"voltage\":230,\"current\":0.2,"
            + "\"linkquality\":120}"));
    assertEquals(Map.of("power", false, "power_w", 0.0), state("plug", "{\"state\":\"OFF\",\"power\":0}"));
    assertSet("plug", Map.of("power", false), "{\"state\":\"OFF\"}");
    assertThrows(IllegalArgumentException.class, () -> z2m.encode(device("plug"), Devices.set("dev", Map.of("power_w", 1.0))));
  }

  @Test
  void lockStateAndLockState() throws Exception {
    // fromZigbee.ts lock: lockState 1 → {state: LOCK, lock_state: locked}; 2 → UNLOCK/unlocked;
    // 0 → UNLOCK/not_fully_locked. toZigbee.ts lock takes state LOCK/UNLOCK
    assertEquals(Map.of("locked", true), state("lock", "{\"state\":\"LOCK\",\"lock_state\":\"locked\"}"));
    assertEquals(Map.of("locked", false), state("lock", "{\"state\":\"UNLOCK\",\"lock_state\":\"unlocked\"}"));
    assertEquals(Map.of("locked", false), state("lock", "{\"lock_state\":\"not_fully_locked\"}"));
    assertSet("lock", Map.of("locked", false), "{\"state\":\"UNLOCK\"}");
    assertSet("lock", Map.of("locked", true), "{\"state\":\"LOCK\"}");
  }

  @Test
  void curtainPositionAndCoverActions() throws Exception {
    // fromZigbee.ts cover_position_tilt: position 0–100 (100 = open) and state OPEN/CLOSE;
    // toZigbee.ts cover_position_tilt takes position, cover_state takes state open/close/stop
    assertEquals(Map.of("position", 40L), state("curtain", "{\"position\":40,\"state\":\"OPEN\"}"));
    assertSet("curtain", Map.of("position", 75L), "{\"position\":75}");
    for (String[] a : new String[][] {{"open", "OPEN"}, {"close", "CLOSE"}, {"stop", "STOP"}}) {
      List<Outbound> out = z2m.encode(device("curtain"), Devices.action("dev", a[0], Map.of()));
      assertEquals(json.readTree("{\"state\":\"" + a[1] + "\"}"), json.readTree(out.get(0).payload()));
    }
  }

  @Test
  void thermostatSetpointTemperatureAndSystemMode() throws Exception {
    // fromZigbee.ts thermostat: localTemp → local_temperature, occupiedHeatingSetpoint →
    // occupied_heating_setpoint, systemMode → system_mode (constants.ts thermostatSystemModes)
    assertEquals(Map.of("target_temp", 21.0, "current_temp", 19.5, "mode", "heat"),
        state("thermostat", "{\"local_temperature\":19.5,\"occupied_heating_setpoint\":21,\"system_mode\":\"heat\","
            + "\"running_state\":\"heat\"}"));
    // a setpoint off the profile's grid or range is shown on it, not dropped
    assertEquals(21.5, state("thermostat", "{\"occupied_heating_setpoint\":21.4}").get("target_temp"));
    assertEquals(5.0, state("thermostat", "{\"occupied_heating_setpoint\":4}").get("target_temp"));
    assertSet("thermostat", Map.of("target_temp", 21.5, "mode", "auto"),
        "{\"occupied_heating_setpoint\":21.5,\"system_mode\":\"auto\"}");
    assertThrows(IllegalArgumentException.class,
        () -> z2m.encode(device("thermostat"), Devices.set("dev", Map.of("current_temp", 20.0))));
  }

  @Test
  void contactTrueMeansClosed() {
    // fromZigbee.ts ias_contact_alarm_1: contact = !(zoneStatus & 1), true when the magnet is near
    assertEquals(Map.of("open", false), state("sensor.contact",
        "{\"contact\":true,\"tamper\":false,\"battery_low\":false,\"battery\":100}"));
    assertEquals(Map.of("open", true), state("sensor.contact", "{\"contact\":false}"));
  }

  @Test
  void climateSensorValuesInTheProfile() {
    // fromZigbee.ts temperature, humidity, battery (batteryPercentageRemaining / 2, may be x.5)
    assertEquals(Map.of("temperature", 21.37, "humidity", 45.2, "battery", 98L), state("sensor.climate",
        "{\"temperature\":21.37,\"humidity\":45.2,\"battery\":97.5,\"voltage\":2900,\"linkquality\":60}"));
    assertEquals(100.0, state("sensor.climate", "{\"humidity\":100.4}").get("humidity"));
  }

  @Test
  void supportsFollowTheProfileMapping() {
    Supports light = z2m.supports(device("light.dimmable"), TestProfiles.get("light.dimmable"));
    assertEquals(List.of("power", "brightness", "color_temp"), light.set());
    assertEquals(List.of(), light.actions());
    Supports plug = z2m.supports(device("plug"), TestProfiles.get("plug"));
    assertEquals(List.of("power", "power_w", "energy_kwh"), plug.read());
    assertEquals(List.of("power"), plug.set());
    Supports curtain = z2m.supports(device("curtain"), TestProfiles.get("curtain"));
    assertEquals(List.of("open", "close", "stop"), curtain.actions());
    assertEquals(List.of("target_temp", "mode"), z2m.supports(device("thermostat"), TestProfiles.get("thermostat")).set());
    assertEquals(List.of("open"), z2m.supports(device("sensor.contact"), TestProfiles.get("sensor.contact")).read());
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
        {"zigbee2mqtt/hall_light", "{\"state\":\"LOCK\"}"},
        {"zigbee2mqtt/hall_light/availability", "{\"state\":1}"},
        {"zigbee2mqtt/hall_light/availability", "{\"state\":\"gone\"}"},
        {"zigbee2mqtt/hall_light/availability", "{broken"},
    }) {
      assertThrows(MalformedPayloadException.class, () -> decode(bad[0], bad[1], Map.of()), bad[0] + " " + bad[1]);
    }
    for (String[] bad : new String[][] {
        {"lock", "{\"state\":\"ON\"}"},
        {"lock", "{\"lock_state\":\"jammed\"}"},
        {"plug", "{\"power\":\"45 W\"}"},
        {"sensor.contact", "{\"contact\":\"open\"}"},
        {"thermostat", "{\"system_mode\":4}"},
    }) {
      assertThrows(MalformedPayloadException.class, () -> state(bad[0], bad[1]), bad[0] + " " + bad[1]);
    }
  }
}
