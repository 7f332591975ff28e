package io.hearth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tasmota and Zigbee2MQTT devices loaded from a devices file, round trips with a Paho gateway. */
@Timeout(60)
class ThirdPartyConventionsTest {

  private static EmbeddedBroker broker;
  private static Simulator sim;
  private static GatewaySide gw;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    broker = EmbeddedBroker.start();
    gw = new GatewaySide(broker.url(), "cmnd/#", "stat/#", "tele/#", "zigbee2mqtt/#");
    Path file = dir.resolve("devices.yaml");
    Files.writeString(file, String.join("\n",
        "devices:",
        "  - { id: desk-plug, name: Desk, room: office, profile: plug,",
        "      binding: { protocol: mqtt, convention: tasmota, topic: tasmota_1A2B3C },",
        "      sim: { reportIntervalMs: 200 } }",
        "  - { id: tas-lamp, profile: light.dimmable, binding: { protocol: mqtt, convention: tasmota } }",
        "  - { id: hall-light, profile: light.dimmable,",
        "      binding: { protocol: mqtt, convention: zigbee2mqtt, topic: hall_light } }",
        "  - { id: z-lock, profile: lock, binding: { protocol: mqtt, convention: zigbee2mqtt } }",
        "  - { id: thermo, profile: thermostat, binding: { protocol: coap, uri: \"coap://127.0.0.1:5701\", convention: generic } }",
        ""));
    sim = Simulator.start(SimOptions.defaults(broker.url()), SimDevices.load(file));
  }

  @AfterAll
  static void stop() throws Exception {
    sim.close();
    gw.close();
    broker.close();
  }

  @Test
  void genericCoapDevicesAreSkipped() {
    assertEquals(4, sim.devices().size());
    assertEquals(null, sim.device("thermo"));
  }

  @Test
  void tasmotaPowerAndDimmer() throws Exception {
    gw.expect("tele/tas-lamp/LWT", "Online"::equals);
    gw.send("cmnd/tas-lamp/POWER", "ON");
    gw.expect("stat/tas-lamp/RESULT", p -> p.contains("\"POWER\":\"ON\""));
    gw.expect("stat/tas-lamp/POWER", "ON"::equals);
    gw.send("cmnd/tas-lamp/Dimmer", "60");
    gw.expect("stat/tas-lamp/RESULT", p -> p.contains("\"Dimmer\":60"));
    assertEquals(60, sim.device("tas-lamp").state().get("brightness"));
    gw.send("cmnd/tas-lamp/POWER", "TOGGLE");
    gw.expect("stat/tas-lamp/POWER", "OFF"::equals);
    gw.send("cmnd/tas-lamp/Dimmer", "abc");
    gw.expect("stat/tas-lamp/RESULT", p -> p.contains("\"Command\":\"Error\""));
    gw.send("cmnd/tas-lamp/Fade", "1");
    gw.expect("stat/tas-lamp/RESULT", p -> p.contains("\"Command\":\"Unknown\""));
  }

  @Test
  void tasmotaPlugTelemetryReportsEnergy() throws Exception {
    gw.send("cmnd/tasmota_1A2B3C/POWER", "1");
    gw.expect("stat/tasmota_1A2B3C/POWER", "ON"::equals);
    gw.expect("tele/tasmota_1A2B3C/SENSOR", p -> p.contains("\"ENERGY\"") && !p.contains("\"Power\":0.0"));
    gw.expect("tele/tasmota_1A2B3C/STATE", p -> p.contains("\"POWER\":\"ON\""));
    sim.device("desk-plug").goOffline(true);
    gw.expect("tele/tasmota_1A2B3C/LWT", "Offline"::equals);
    sim.device("desk-plug").goOnline();
  }

  @Test
  void zigbee2mqttLightRoundTrip() throws Exception {
    gw.expect("zigbee2mqtt/hall_light/availability", "{\"state\":\"online\"}"::equals);
    gw.send("zigbee2mqtt/hall_light/set", "{\"state\":\"ON\",\"brightness\":254,\"color_temp\":370}");
    GatewaySide.Msg m = gw.expect("zigbee2mqtt/hall_light",
        p -> p.contains("\"state\":\"ON\"") && p.contains("\"brightness\":254"));
    assertTrue(m.payload().contains("\"color_temp\":370"), m.payload());
    assertEquals(Map.of("power", true, "brightness", 100, "color_temp", 2703), sim.device("hall-light").state());
    // out of range: ignored (Zigbee2MQTT answers nothing on the device topic), state unchanged
    gw.send("zigbee2mqtt/hall_light/set", "{\"brightness\":300}");
    gw.send("zigbee2mqtt/hall_light/get", "{\"state\":\"\"}");
    gw.expect("zigbee2mqtt/hall_light", p -> p.contains("\"brightness\":254") && gw.on("zigbee2mqtt/hall_light").size() >= 3);
    assertEquals(100, sim.device("hall-light").state().get("brightness"));
  }

  @Test
  void zigbee2mqttLock() throws Exception {
    gw.send("zigbee2mqtt/z-lock/set", "{\"state\":\"UNLOCK\"}");
    gw.expect("zigbee2mqtt/z-lock", p -> p.contains("\"lock_state\":\"unlocked\""));
    assertEquals(false, sim.device("z-lock").state().get("locked"));
  }

  @Test
  void closeLeavesNoThreadBehind() throws Exception {
    Set<Long> before = vertxThreads();
    Simulator other = Simulator.start(SimOptions.defaults(broker.url()).withThreads(3),
        SimDevices.generate(20, List.of()));
    assertEquals(20, other.devices().size());
    assertTrue(vertxThreads().size() > before.size());
    other.close();
    other.close(); // idempotent
    org.awaitility.Awaitility.await().until(() -> vertxThreads().equals(before));
  }

  private static Set<Long> vertxThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("vert.x-"))
        .map(Thread::getId).collect(Collectors.toSet());
  }
}
