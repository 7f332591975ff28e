package io.hearth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated Zigbee2MQTT 2.x bridge with five devices against Mosquitto, checked against what
 * Zigbee2MQTT and zigbee-herdsman-converters publish (each expectation quotes its source).
 */
@Timeout(90)
class Zigbee2MqttBridgeTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static MosquittoBroker broker;
  private static GatewaySide gw;
  private static Simulator sim;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    broker = MosquittoBroker.start(dir.resolve("mosquitto"));
    gw = new GatewaySide(broker.url(), "zigbee2mqtt/#");
    sim = Simulator.start(SimOptions.defaults(broker.url()), List.of(
        SimDeviceSpec.zigbee2mqttBridge("z2m", null, List.of(
            SimDeviceSpec.zigbee2mqtt("hall-light", "light.dimmable", "hall_light"),
            SimDeviceSpec.zigbee2mqtt("z-plug", "plug", "kitchen/plug").withFirmware("retain", true),
            SimDeviceSpec.zigbee2mqtt("z-lock", "lock", "front_door"),
            SimDeviceSpec.zigbee2mqtt("z-door", "sensor.contact", "door_contact"),
            SimDeviceSpec.zigbee2mqtt("z-thermo", "thermostat", "radiator"))),
        SimDeviceSpec.zigbee2mqttBridge("old-z2m", "legacy", List.of(
            SimDeviceSpec.zigbee2mqtt("old-lamp", "light.dimmable", "lamp"))).withFirmware("legacyAvailabilityPayload",
            true)));
  }

  @AfterAll
  static void stop() throws Exception {
    if (sim != null) {
      sim.close();
    }
    if (gw != null) {
      gw.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void oneConnectionServesEveryDevice() {
    String log = broker.log();
    // lib/mqtt.ts: no client_id set -> mqtt.js's default "mqttjs_<8 hex>"; protocolVersion 4 unless mqtt.version
    Matcher m = Pattern.compile("as (mqttjs_[0-9a-f]{8}) \\(p2, c1, k60").matcher(log);
    java.util.Set<String> clients = new java.util.HashSet<>();
    while (m.find()) {
      clients.add(m.group(1));
    }
    // two bridges, two connections; the six devices behind them have none of their own
    assertEquals(java.util.Set.of(sim.bridge("z2m").clientId(), sim.bridge("old-z2m").clientId()), clients, log);
    Matcher any = Pattern.compile("New client connected from \\S+ as (\\S+) ").matcher(log);
    while (any.find()) {
      assertTrue(any.group(1).startsWith("gw-") || clients.contains(any.group(1)), any.group(1));
    }
    String clientId = sim.bridge("z2m").clientId();
    // lib/mqtt.ts connect(): will {topic: <base>/bridge/state, payload: {"state":"offline"}, retain, qos: 1}
    assertTrue(log.contains("Will message specified (19 bytes) (r1, q1)."), log);
    // onConnect: subscribe `${base_topic}/#`
    assertTrue(log.contains(clientId + " 0 zigbee2mqtt/#"), log);
    assertEquals(6, sim.devices().size());
    assertEquals(5, sim.bridge("z2m").devices().size());
  }

  @Test
  void announcesBridgeStateDevicesAvailabilityAndStates() throws Exception {
    // onConnect: publish("bridge/state", JSON.stringify({state: "online"}), {retain: true, qos: 1})
    try (GatewaySide late = new GatewaySide(broker.url(), "zigbee2mqtt/#", "legacy/#")) {
      assertTrue(late.expect("zigbee2mqtt/bridge/state", "{\"state\":\"online\"}"::equals).retained());
      assertTrue(late.expect("legacy/bridge/state", "online"::equals).retained()); // Zigbee2MQTT 1.x string form
      // availability.ts publishAvailability: {state: "online"}, retained
      assertTrue(late.expect("zigbee2mqtt/hall_light/availability", "{\"state\":\"online\"}"::equals).retained());
      assertTrue(late.expect("zigbee2mqtt/kitchen/plug/availability", "{\"state\":\"online\"}"::equals).retained());
      // a device's state is retained only with its `retain: true` option (publishEntityState)
      assertTrue(late.expect("zigbee2mqtt/kitchen/plug", p -> p.contains("\"state\":")).retained());
      assertTrue(late.expect("zigbee2mqtt/bridge/info", p -> p.contains("\"version\":\"2.")).retained());
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void bridgeDevicesCarriesTheConvertersExposes() throws Exception {
    GatewaySide.Msg m = gw.expect("zigbee2mqtt/bridge/devices", p -> p.startsWith("["));
    List<Map<String, Object>> devices = JSON.readValue(m.payload(), List.class);
    assertEquals("Coordinator", devices.get(0).get("type"));
    Map<String, Map<String, Object>> byName = new java.util.HashMap<>();
    for (Map<String, Object> d : devices) {
      byName.put((String) d.get("friendly_name"), d);
    }
    Map<String, Object> bulb = byName.get("hall_light");
    assertEquals("Router", bulb.get("type"));
    assertEquals("Mains (single phase)", bulb.get("power_source"));
    assertTrue(((String) bulb.get("ieee_address")).matches("0x[0-9a-f]{16}"));
    Map<String, Object> light = exposes(bulb).get(0);
    assertEquals("light", light.get("type"));
    List<Map<String, Object>> features = (List<Map<String, Object>>) light.get("features");
    // exposes.ts Light: new Binary("state", access.ALL, "ON", "OFF").withValueToggle("TOGGLE")
    assertEquals(Map.of("type", "binary", "name", "state", "label", "State", "property", "state", "access", 7,
        "value_on", "ON", "value_off", "OFF", "value_toggle", "TOGGLE", "description", "On/off state of this light"),
        features.get(0));
    // withBrightness: Numeric("brightness", ALL) 0..254; withColorTemp: unit "mired", here [153, 500]
    assertEquals(254, features.get(1).get("value_max"));
    assertEquals("mired", features.get(2).get("unit"));
    assertEquals(153, features.get(2).get("value_min"));
    assertEquals(500, features.get(2).get("value_max"));
    // lib/model/device.ts exposes(): LINKQUALITY appended, unit "lqi", 0..255, diagnostic
    Map<String, Object> lq = exposes(bulb).get(exposes(bulb).size() - 1);
    assertEquals("linkquality", lq.get("name"));
    assertEquals("lqi", lq.get("unit"));
    // e.switch(), e.power() W, e.energy() kWh
    List<Map<String, Object>> plug = exposes(byName.get("kitchen/plug"));
    assertEquals("switch", plug.get(0).get("type"));
    assertTrue(plug.stream().anyMatch(x -> "power".equals(x.get("name")) && "W".equals(x.get("unit"))));
    assertTrue(plug.stream().anyMatch(x -> "energy".equals(x.get("name")) && "kWh".equals(x.get("unit"))));
    // e.lock(): state LOCK/UNLOCK + lock_state enum
    Map<String, Object> lock = exposes(byName.get("front_door")).get(0);
    assertEquals("lock", lock.get("type"));
    List<Map<String, Object>> lf = (List<Map<String, Object>>) lock.get("features");
    assertEquals("LOCK", lf.get(0).get("value_on"));
    assertEquals(List.of("not_fully_locked", "locked", "unlocked"), lf.get(1).get("values"));
    // e.contact(): Binary("contact", STATE, false, true) -- value_on false: contact false means open
    Map<String, Object> contact = exposes(byName.get("door_contact")).get(0);
    assertEquals(false, contact.get("value_on"));
    assertEquals(true, contact.get("value_off"));
    assertEquals("EndDevice", byName.get("door_contact").get("type"));
    assertEquals("Battery", byName.get("door_contact").get("power_source"));
    // e.climate(): occupied_heating_setpoint, local_temperature, system_mode, running_state
    Map<String, Object> climate = exposes(byName.get("radiator")).get(0);
    assertEquals("climate", climate.get("type"));
    assertEquals(List.of("occupied_heating_setpoint", "local_temperature", "system_mode", "running_state"),
        ((List<Map<String, Object>>) climate.get("features")).stream().map(f -> f.get("name")).toList());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> exposes(Map<String, Object> device) {
    return (List<Map<String, Object>>) ((Map<String, Object>) device.get("definition")).get("exposes");
  }

  @Test
  void bulbSetPublishesTheConvertersState() throws Exception {
    gw.send("zigbee2mqtt/hall_light/set", "{\"state\":\"ON\",\"brightness\":254,\"color_temp\":370}");
    // light_onoff_brightness returns {state, brightness}; light_colortemp {color_mode: "color_temp", color_temp};
    // publishEntityState publishes the cached state, keys sorted (json-stable-stringify), with linkquality
    GatewaySide.Msg m = gw.expect("zigbee2mqtt/hall_light", p -> p.contains("\"color_temp\":370"));
    assertTrue(m.payload().matches("\\{\"brightness\":254,\"color_mode\":\"color_temp\",\"color_temp\":370,"
        + "\"linkquality\":\\d+,\"power_on_behavior\":\"on\",\"state\":\"ON\"}"), m.payload());
    assertFalse(m.retained());
    assertEquals(Map.of("power", true, "brightness", 100, "color_temp", 2703), sim.device("hall-light").state());
    // toZigbee.ts light_onoff_brightness: "Brightness value of message: '...' invalid, must be a number >= 0 and =< 254"
    gw.send("zigbee2mqtt/hall_light/set", "{\"brightness\":300}");
    gw.expect("zigbee2mqtt/bridge/logging", ("{\"level\":\"error\",\"message\":\"z2m: Publish 'set' 'brightness' to "
        + "'hall_light' failed: 'Error: Brightness value of message: '{\\\"brightness\\\":300}' invalid, must be a "
        + "number >= 0 and =< 254'\"}")::equals);
    assertEquals(100, sim.device("hall-light").state().get("brightness"));
    // attribute topic: <base>/<name>/set/<attribute> (publish.ts parseMessage)
    gw.send("zigbee2mqtt/hall_light/set/color_temp", "warm"); // a preset: warm = 454
    gw.expect("zigbee2mqtt/hall_light", p -> p.contains("\"color_temp\":454"));
  }

  @Test
  void unknownKeyIsLoggedAsNoConverterAvailable() throws Exception {
    // publish.ts: logger.error(`No converter available for '${key}' on '${re.name}': (${stringify(message[key])})`);
    // the bridge's log transport publishes it on <base>/bridge/logging (bridge.ts bridgeLogging)
    gw.send("zigbee2mqtt/hall_light/set", "{\"frobnicate\":1}");
    gw.expect("zigbee2mqtt/bridge/logging",
        "{\"level\":\"error\",\"message\":\"z2m: No converter available for 'frobnicate' on 'hall_light': (1)\"}"::equals);
    // a contact sensor has no toZigbee converter at all
    gw.send("zigbee2mqtt/door_contact/set", "{\"contact\":true}");
    gw.expect("zigbee2mqtt/bridge/logging",
        "{\"level\":\"error\",\"message\":\"z2m: No converter available for 'contact' on 'door_contact': (true)\"}"::equals);
    // a converter without convertSet: `No converter available for '${parsedTopic.type}' '${key}' (${message[key]})`
    gw.send("zigbee2mqtt/radiator/set", "{\"local_temperature\":25}");
    gw.expect("zigbee2mqtt/bridge/logging",
        "{\"level\":\"error\",\"message\":\"z2m: No converter available for 'set' 'local_temperature' (25)\"}"::equals);
    gw.send("zigbee2mqtt/nobody/set", "{\"state\":\"ON\"}");
    gw.expect("zigbee2mqtt/bridge/logging", "{\"level\":\"error\",\"message\":\"z2m: Entity 'nobody' is unknown\"}"::equals);
  }

  @Test
  void plugLockAndThermostatPayloads() throws Exception {
    gw.send("zigbee2mqtt/kitchen/plug/set", "{\"state\":\"ON\"}");
    // on_off -> {state}; metering/electrical measurement: power W, energy kWh, voltage V, current A
    GatewaySide.Msg plug = gw.expect("zigbee2mqtt/kitchen/plug", p -> p.contains("\"state\":\"ON\""));
    @SuppressWarnings("unchecked")
    Map<String, Object> p = JSON.readValue(plug.payload(), Map.class);
    assertTrue(((Number) p.get("power")).doubleValue() > 0, plug.payload());
    assertNotNull(p.get("energy"));
    assertNotNull(p.get("voltage"));
    assertNotNull(p.get("current"));
    // toZigbee lock + fromZigbee lock: state LOCK/UNLOCK and lock_state from ["not_fully_locked","locked","unlocked"]
    gw.send("zigbee2mqtt/front_door/set", "{\"state\":\"UNLOCK\"}");
    gw.expect("zigbee2mqtt/front_door", x -> x.contains("\"lock_state\":\"unlocked\"") && x.contains("\"state\":\"UNLOCK\""));
    assertEquals(false, sim.device("z-lock").state().get("locked"));
    // validateValue: `'${value}' not allowed, choose between: ${allowed}`
    gw.send("zigbee2mqtt/front_door/set", "{\"state\":\"OPEN\"}");
    gw.expect("zigbee2mqtt/bridge/logging", x -> x.contains("'OPEN' not allowed, choose between: LOCK,UNLOCK,TOGGLE"));
    gw.send("zigbee2mqtt/radiator/set", "{\"occupied_heating_setpoint\":22.5,\"system_mode\":\"heat\"}");
    gw.expect("zigbee2mqtt/radiator", x -> x.contains("\"occupied_heating_setpoint\":22.5")
        && x.contains("\"system_mode\":\"heat\"") && x.contains("\"local_temperature\":")
        && x.contains("\"running_state\":"));
    assertEquals(22.5, sim.device("z-thermo").state().get("target_temp"));
    sim.device("z-door").setState(Map.of("open", true));
    gw.expect("zigbee2mqtt/door_contact", x -> x.contains("\"contact\":false") && x.contains("\"battery\":"));
  }

  @Test
  void deviceAvailabilityFollowsTheDevice() throws Exception {
    SimDevice door = sim.device("z-door");
    door.goOffline(true);
    gw.expect("zigbee2mqtt/door_contact/availability", "{\"state\":\"offline\"}"::equals);
    assertTrue(sim.bridge("z2m").online()); // the bridge itself stays connected
    door.goOnline();
    gw.expect("zigbee2mqtt/door_contact/availability", "{\"state\":\"online\"}"::equals);
  }

  @Test
  void bridgeRequestsAreAnswered() throws Exception {
    // bridge.ts healthCheck: utils.getResponse(message, {healthy: true}); the transaction is echoed
    gw.send("zigbee2mqtt/bridge/request/health_check", "{\"transaction\":\"t1\"}");
    gw.expect("zigbee2mqtt/bridge/response/health_check",
        "{\"data\":{\"healthy\":true},\"status\":\"ok\",\"transaction\":\"t1\"}"::equals);
    gw.send("zigbee2mqtt/bridge/request/permit_join", "{\"time\":60}");
    gw.expect("zigbee2mqtt/bridge/response/permit_join", "{\"data\":{\"time\":60},\"status\":\"ok\"}"::equals);
    gw.expect("zigbee2mqtt/bridge/info", p -> p.contains("\"permit_join\":true"));
    // permitJoin: an object without time -> throw new Error("Invalid payload")
    gw.send("zigbee2mqtt/bridge/request/permit_join", "{}");
    gw.expect("zigbee2mqtt/bridge/response/permit_join", "{\"data\":{},\"error\":\"Invalid payload\",\"status\":\"error\"}"::equals);
  }

  @Test
  void bridgeDeathPublishesItsWill() throws Exception {
    SimBridge legacy = sim.bridge("old-z2m");
    try (GatewaySide side = new GatewaySide(broker.url(), "legacy/#")) {
      legacy.goOffline(true); // MQTT 3.1.1: the TCP connection ends without DISCONNECT
      side.expect("legacy/bridge/state", "offline"::equals);
      assertFalse(legacy.online());
      assertFalse(sim.device("old-lamp").online());
      legacy.goOnline();
      side.expect("legacy/bridge/state", "online"::equals);
      side.expect("legacy/lamp/availability", "{\"state\":\"online\"}"::equals);
    }
  }
}
