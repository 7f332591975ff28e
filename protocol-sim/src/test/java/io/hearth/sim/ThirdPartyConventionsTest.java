package io.hearth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/**
 * Tasmota devices and a Zigbee2MQTT bridge loaded from a devices file ({@code sim:} firmware settings,
 * {@code bridges:}), on the embedded HiveMQ broker, with a Paho "gateway". Wire details are checked
 * against Mosquitto in {@link TasmotaFirmwareTest} and {@link Zigbee2MqttBridgeTest}.
 */
@Timeout(60)
class ThirdPartyConventionsTest {

  private static EmbeddedBroker broker;
  private static Simulator sim;
  private static GatewaySide gw;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    broker = EmbeddedBroker.start();
    gw = new GatewaySide(broker.url(), "cmnd/#", "stat/#", "tele/#", "zigbee2mqtt/#", "hub/#");
    Path file = dir.resolve("devices.yaml");
    Files.writeString(file, String.join("\n",
        "bridges:",
        "  - { id: hub, convention: zigbee2mqtt, baseTopic: hub, credentials: { username: hub, password: s3cret } }",
        "devices:",
        "  - { id: desk-plug, name: Desk, room: office, profile: plug,",
        "      binding: { protocol: mqtt, convention: tasmota, topic: tasmota_1A2B3C },",
        "      sim: { reportIntervalMs: 200, mac: \"5C:CF:7F:1A:2B:3C\" } }",
        "  - { id: tas-lamp, profile: light.dimmable, binding: { protocol: mqtt, convention: tasmota },",
        "      sim: { setOption26: true } }",
        "  - { id: hall-light, profile: light.dimmable,",
        "      binding: { protocol: mqtt, convention: zigbee2mqtt, bridge: hub, topic: hall_light } }",
        "  - { id: z-lock, profile: lock, binding: { protocol: mqtt, convention: zigbee2mqtt, bridge: hub, topic: lock },",
        "      sim: { retain: true } }",
        "  - { id: solo-light, profile: light.dimmable, binding: { protocol: mqtt, convention: zigbee2mqtt } }",
        "  - { id: thermo, profile: thermostat, binding: { protocol: coap, uri: \"coap://127.0.0.1:5701\", convention: generic } }",
        ""));
    List<SimDeviceSpec> specs = SimDevices.load(file);
    assertEquals(List.of("hub", "desk-plug", "tas-lamp", "solo-light", "thermo"),
        specs.stream().map(SimDeviceSpec::id).toList());
    assertEquals(List.of("hall-light", "z-lock"), specs.get(0).children().stream().map(SimDeviceSpec::id).toList());
    assertEquals("hub", specs.get(0).username());
    sim = Simulator.start(SimOptions.defaults(broker.url()), specs);
  }

  @AfterAll
  static void stop() throws Exception {
    sim.close();
    gw.close();
    broker.close();
  }

  @Test
  void genericCoapDevicesAreSkipped() {
    assertEquals(5, sim.devices().size());
    assertEquals(null, sim.device("thermo"));
    assertEquals(2, sim.bridge("hub").devices().size());
  }

  @Test
  void tasmotaWithSetOption26() throws Exception {
    gw.expect("tele/tas-lamp/LWT", "Online"::equals);
    // GetPowerDevice: POWER1 instead of POWER with SetOption26 1
    gw.send("cmnd/tas-lamp/POWER1", "ON");
    gw.expect("stat/tas-lamp/RESULT", "{\"POWER1\":\"ON\"}"::equals);
    gw.expect("stat/tas-lamp/POWER1", "ON"::equals);
    gw.send("cmnd/tas-lamp/Dimmer", "60");
    gw.expect("stat/tas-lamp/RESULT", p -> p.startsWith("{\"POWER1\":\"ON\",\"Dimmer\":60,"));
    assertEquals(60, sim.device("tas-lamp").state().get("brightness"));
    gw.send("cmnd/tas-lamp/Dimmer", "abc");
    gw.expect("stat/tas-lamp/RESULT", "{\"Dimmer\":60}"::equals);
    sim.device("tas-lamp").setFaults(SimFaults.NONE.withReject(true));
    gw.send("cmnd/tas-lamp/Dimmer", "10");
    gw.expect("stat/tas-lamp/RESULT", "{\"Command\":\"Error\"}"::equals); // the simulator's reject fault
    sim.device("tas-lamp").setFaults(SimFaults.NONE);
    assertEquals(60, sim.device("tas-lamp").state().get("brightness"));
  }

  @Test
  void tasmotaPlugTelemetryAndLwtOnHiveMq() throws Exception {
    gw.send("cmnd/tasmota_1A2B3C/POWER", "1");
    gw.expect("stat/tasmota_1A2B3C/POWER", "ON"::equals);
    gw.expect("tele/tasmota_1A2B3C/SENSOR", p -> p.contains("\"ENERGY\"") && !p.contains("\"Power\":0,"));
    gw.expect("tele/tasmota_1A2B3C/STATE", p -> p.contains("\"POWER\":\"ON\""));
    sim.device("desk-plug").goOffline(true); // 3.1.1: the socket closes without DISCONNECT
    gw.expect("tele/tasmota_1A2B3C/LWT", "Offline"::equals);
    sim.device("desk-plug").goOnline();
    gw.expect("tele/tasmota_1A2B3C/LWT", "Online"::equals);
  }

  @Test
  void zigbee2mqttBridgeFromTheDevicesFile() throws Exception {
    gw.expect("hub/bridge/state", "{\"state\":\"online\"}"::equals);
    gw.expect("hub/hall_light/availability", "{\"state\":\"online\"}"::equals);
    gw.send("hub/hall_light/set", "{\"state\":\"ON\",\"brightness\":254,\"color_temp\":370}");
    GatewaySide.Msg m = gw.expect("hub/hall_light", p -> p.contains("\"state\":\"ON\"") && p.contains("\"brightness\":254"));
    assertTrue(m.payload().contains("\"color_temp\":370"), m.payload());
    assertEquals(Map.of("power", true, "brightness", 100, "color_temp", 2703), sim.device("hall-light").state());
    gw.send("hub/lock/set", "{\"state\":\"UNLOCK\"}");
    gw.expect("hub/lock", p -> p.contains("\"lock_state\":\"unlocked\""));
    assertEquals(false, sim.device("z-lock").state().get("locked"));
    // the bridge dies without DISCONNECT (MQTT 3.1.1: the socket closes): HiveMQ publishes its will
    sim.bridge("hub").goOffline(true);
    gw.expect("hub/bridge/state", "{\"state\":\"offline\"}"::equals);
    assertFalse(sim.device("hall-light").online());
    sim.bridge("hub").goOnline();
    org.awaitility.Awaitility.await().until(() -> {
      List<GatewaySide.Msg> states = gw.on("hub/bridge/state");
      return states.get(states.size() - 1).payload().equals("{\"state\":\"online\"}");
    });
    assertTrue(sim.device("hall-light").online());
  }

  @Test
  void standaloneZigbee2mqttDeviceKeepsItsOwnConnection() throws Exception {
    gw.expect("zigbee2mqtt/solo-light/availability", "{\"state\":\"online\"}"::equals);
    gw.send("zigbee2mqtt/solo-light/set", "{\"state\":\"ON\",\"brightness\":127}");
    gw.expect("zigbee2mqtt/solo-light", p -> p.contains("\"brightness\":127"));
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
