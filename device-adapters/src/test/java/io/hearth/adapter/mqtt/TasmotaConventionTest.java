package io.hearth.adapter.mqtt;

import static io.hearth.adapter.mqtt.Devices.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertEquals(List.of("stat/tasmota_1A2B3C/RESULT", "stat/tasmota_1A2B3C/POWER", "stat/tasmota_1A2B3C/POWER1",
        "tele/tasmota_1A2B3C/STATE", "tele/tasmota_1A2B3C/SENSOR", "tele/tasmota_1A2B3C/LWT"), tasmota.subscriptions(plug));
    assertEquals("stat/desk-plug/RESULT", tasmota.subscriptions(Devices.mqtt("desk-plug", "tasmota", null)).get(0));
    TopicPermissions p = tasmota.permissions(plug);
    assertEquals(List.of("stat/tasmota_1A2B3C/#", "tele/tasmota_1A2B3C/#", "cmnd/tasmota_1A2B3C/POWER",
        "tasmota/discovery/+/#"), p.publish());
    assertEquals(List.of("cmnd/tasmota_1A2B3C/#", "cmnd/tasmotas/#", "cmnd/%c_fb/#"), p.subscribe());
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
  void encodesDimmerThenCtThenPower() {
    // xdrv_04_light.ino CmndColorTemperature: CT takes 153..500 (CT_MIN..CT_MAX); a CT or Dimmer
    // command switches the light on (LightPreparePower), so POWER goes last
    List<Outbound> out = tasmota.encode(plug, Devices.set("desk-plug",
        Map.of("power", false, "brightness", 40L, "color_temp", 2700L)));
    assertEquals(List.of(new Outbound("cmnd/tasmota_1A2B3C/Dimmer", utf8("40")),
        new Outbound("cmnd/tasmota_1A2B3C/CT", utf8("370")), new Outbound("cmnd/tasmota_1A2B3C/POWER", utf8("OFF"))), out);
    assertEquals("154", tasmota.encode(plug, Devices.set("desk-plug", Map.of("color_temp", 6500L))).get(0).payloadText());
    assertEquals("500", tasmota.encode(plug, Devices.set("desk-plug", Map.of("color_temp", 2000L))).get(0).payloadText());
  }

  @Test
  void decodesCtOverTheFirmwareRangeAndEchoesTheCommandedKelvin() {
    // ResponseLightState (xdrv_04_light.ino) for a CW light: POWER, Dimmer, Color, White, CT, Channel
    assertEquals(Map.of("power", true, "brightness", 80L, "color_temp", 6500L), state("stat/tasmota_1A2B3C/RESULT",
        "{\"POWER\":\"ON\",\"Dimmer\":80,\"Color\":\"CC00\",\"White\":80,\"CT\":153,\"Channel\":[80,0]}"));
    assertEquals(2000L, state("stat/tasmota_1A2B3C/RESULT", "{\"CT\":500}").get("color_temp"));
    Inbound.State echoed = (Inbound.State) tasmota.decode(plug, "stat/tasmota_1A2B3C/RESULT",
        utf8("{\"POWER\":\"ON\",\"Dimmer\":80,\"CT\":370}"), false, Instant.now(), Map.of("color_temp", 2700L))
        .orElseThrow();
    assertEquals(2700L, echoed.report().properties().get("color_temp"));
  }

  @Test
  void power1IsThePowerOfTheFirstRelay() {
    // SetOption26 (or several relays): GetPowerDevice names the relay POWER1, in RESULT/STATE
    // and on the stat/<t>/POWER1 topic (MqttPublishPowerState, xdrv_02_mqtt.ino)
    assertEquals(Map.of("power", true, "brightness", 30L), state("stat/tasmota_1A2B3C/RESULT",
        "{\"POWER1\":\"ON\",\"Dimmer\":30}"));
    assertEquals(Map.of("power", false), state("stat/tasmota_1A2B3C/POWER1", "OFF"));
    assertEquals(Map.of("power", true), state("tele/tasmota_1A2B3C/STATE",
        "{\"Time\":\"2026-11-25T10:00:00\",\"POWER1\":\"ON\",\"POWER2\":\"OFF\"}"));
  }

  @Test
  void decodesEnergyAndClimateSensors() {
    // xdrv_03_energy.ino EnergyShow: ENERGY {TotalStartTime, Total, Yesterday, Today, Power,
    // ApparentPower, ReactivePower, Factor, Voltage, Current}; arrays for multi-channel meters
    assertEquals(Map.of("power_w", 45.0, "energy_kwh", 1.234), state("tele/tasmota_1A2B3C/SENSOR",
        "{\"Time\":\"2026-11-25T10:00:00\",\"ENERGY\":{\"TotalStartTime\":\"2026-01-01T00:00:00\",\"Total\":1.234,"
            + "\"Yesterday\":0.100,\"Today\":0.200,\"Power\":45,\"ApparentPower\":50,\"ReactivePower\":20,"
            + "\"Factor\":0.90,\"Voltage\":230,\"Current\":0.210}}"));
    assertEquals(Map.of("power_w", 12.0, "energy_kwh", 2.5), state("tele/tasmota_1A2B3C/SENSOR",
        "{\"ENERGY\":{\"Total\":2.5,\"Power\":[12,3]}}"));
    // a sensor driver's object (here xsns_06_dht.ino's AM2301) with TempUnit
    assertEquals(Map.of("temperature", 21.4, "humidity", 45.3), state("tele/tasmota_1A2B3C/SENSOR",
        "{\"Time\":\"2026-11-25T10:00:00\",\"AM2301\":{\"Temperature\":21.4,\"Humidity\":45.3,\"DewPoint\":9.1},"
            + "\"TempUnit\":\"C\"}"));
    assertEquals(Map.of("temperature", 20.0), state("tele/tasmota_1A2B3C/SENSOR",
        "{\"DS18B20\":{\"Id\":\"01131B2F\",\"Temperature\":68.0},\"TempUnit\":\"F\"}"));
  }

  @Test
  void supportsWhatTheFirmwareCarries() {
    Supports light = tasmota.supports(plug, TestProfiles.get("light.dimmable"));
    assertEquals(List.of("power", "brightness", "color_temp"), light.set());
    assertEquals(List.of(), light.actions());
    Supports p = tasmota.supports(plug, TestProfiles.get("plug"));
    assertEquals(List.of("power", "power_w", "energy_kwh"), p.read());
    assertEquals(List.of("power"), p.set());
    assertEquals(List.of("temperature", "humidity"), tasmota.supports(plug, TestProfiles.get("sensor.climate")).read());
    Supports lock = tasmota.supports(plug, TestProfiles.get("lock"));
    assertEquals(List.of(), lock.read());
    assertEquals(List.of(), lock.set());
    assertEquals(List.of(), tasmota.supports(plug, TestProfiles.get("curtain")).actions());
  }

  @Test
  void refusesWhatTasmotaCannotExpress() {
    assertThrows(IllegalArgumentException.class,
        () -> tasmota.encode(plug, Devices.set("desk-plug", Map.of("locked", true))));
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
    assertEquals(Map.of("power_w", 12.0, "energy_kwh", 1.532), state("tele/tasmota_1A2B3C/SENSOR",
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
        {"stat/tasmota_1A2B3C/RESULT", "{\"CT\":\"warm\"}"},
        {"tele/tasmota_1A2B3C/SENSOR", "{\"AM2301\":{\"Temperature\":null}}"},
        {"tele/tasmota_1A2B3C/LWT", "Sleeping"},
    }) {
      assertThrows(MalformedPayloadException.class, () -> decode(bad[0], bad[1]), bad[0] + " " + bad[1]);
    }
  }
}
