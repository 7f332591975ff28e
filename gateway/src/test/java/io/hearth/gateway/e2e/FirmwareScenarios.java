package io.hearth.gateway.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.sim.SimDeviceSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue 11 matrix: real Tasmota and Zigbee2MQTT hardware as protocol-sim simulates it from the
 * firmware (protocol-sim/README.md), run over every broker (the subclasses say which): a
 * Zigbee2MQTT bridge with a bulb, a plug, a lock, a contact sensor and a thermostat behind it,
 * declared under {@code bridges:} with its credentials; a Tasmota bulb and a Tasmota plug, each with
 * its own credentials. State in, commands out, availability. A gateway of its own, apart from
 * {@link DeviceScenarios}, so that killing the bridge touches no other test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FirmwareScenarios {
  static final String BRIDGE = "zhub";
  static final String STRANGER = "z-stranger";
  static final String STRANGER_IEEE = "0x00158d00e2e0beef";
  static final List<String> BEHIND_BRIDGE = List.of("z-bulb", "z-plug", "z-lock", "z-contact", "z-trv");

  protected GatewayFixture gw;

  /** Every device of the matrix: one bridge with five devices, two Tasmota devices. */
  protected List<SimDeviceSpec> devices() {
    return List.of(
        SimDeviceSpec.zigbee2mqttBridge(BRIDGE, "e2e-z2m", List.of(
                SimDeviceSpec.zigbee2mqtt("z-bulb", "light.dimmable", "hall_bulb"),
                SimDeviceSpec.zigbee2mqtt("z-plug", "plug", "desk_plug"),
                SimDeviceSpec.zigbee2mqtt("z-lock", "lock", "front_door"),
                SimDeviceSpec.zigbee2mqtt("z-contact", "sensor.contact", "door_contact"),
                SimDeviceSpec.zigbee2mqtt("z-trv", "thermostat", "living_trv"),
                // paired with Zigbee2MQTT, unknown to the gateway: announced in bridge/devices
                SimDeviceSpec.zigbee2mqtt(STRANGER, "light.dimmable", "Kitchen Bulb")
                    .withFirmware("ieeeAddress", STRANGER_IEEE)))
            .withCredentials(BRIDGE, GatewayFixture.password(BRIDGE)),
        SimDeviceSpec.tasmota("t-bulb", "light.dimmable", "tasmota_E2EB01", "5CCF7FE2EB01")
            .withCredentials("t-bulb", GatewayFixture.password("t-bulb")),
        SimDeviceSpec.tasmota("t-plug", "plug", "tasmota_E2EB02", "5CCF7FE2EB02")
            .withCredentials("t-plug", GatewayFixture.password("t-plug")));
  }

  /** The fixture builder with this run's broker configured (starts the broker if external). */
  protected abstract GatewayFixture.Builder withBroker(Path dir, List<SimDeviceSpec> devices) throws Exception;

  /** Stops what {@link #withBroker} started. */
  protected void stopBroker() {}

  @BeforeAll
  void startGateway(@TempDir Path dir) throws Exception {
    List<SimDeviceSpec> devices = devices();
    gw = withBroker(dir, devices).simulated(devices.toArray(SimDeviceSpec[]::new)).unregistered(STRANGER).build()
        .start();
  }

  @AfterAll
  void stopGateway() {
    try {
      if (gw != null) {
        gw.close();
      }
    } finally {
      stopBroker();
    }
  }

  // ---- Zigbee2MQTT, behind one bridge

  @Test
  void bridgeIsListedWithoutItsPassword() {
    JsonObject b = gw.http().get("/bridges/" + BRIDGE).assertJson(200);
    assertEquals("e2e-z2m", b.getString("baseTopic"));
    assertEquals(BRIDGE, b.getString("username"));
    assertTrue(b.getBoolean("fromConfig"));
    assertTrue(!b.encode().contains(GatewayFixture.password(BRIDGE)), b::encode);
  }

  @Test
  void z2mBulbCommandsAndState() {
    // brightness 0-100 ↔ 0-254, as Zigbee2MQTT's light_onoff_brightness converter takes it
    roundTrip("z-bulb", new JsonObject().put("power", true).put("brightness", 40),
        new JsonObject().put("brightness", 60));
    DeviceScenarios.assertShows(gw.set("z-bulb", new JsonObject().put("power", false)).getJsonObject("state"),
        new JsonObject().put("power", false));
    // state in: someone switched the bulb at the wall switch
    stateIn("z-bulb", Map.of("power", true, "brightness", 20), new JsonObject().put("power", true).put("brightness", 20));
  }

  @Test
  void z2mPlugCommandsAndState() {
    // Zigbee2MQTT's power is watts (power_w), its state ON/OFF is the profile's power
    roundTrip("z-plug", new JsonObject().put("power", true), new JsonObject().put("power", false));
    stateIn("z-plug", Map.of("power", true), new JsonObject().put("power", true));
    JsonObject d = gw.awaitDevice("z-plug", x -> x.getJsonObject("state").containsKey("power_w"));
    assertTrue(d.getJsonObject("state").getValue("power_w") instanceof Number, d::encode);
  }

  @Test
  void z2mLockCommandsAndState() {
    // {"state":"LOCK"} out; {"state":"LOCK","lock_state":"locked"} in
    roundTrip("z-lock", new JsonObject().put("locked", true), new JsonObject().put("locked", false));
    stateIn("z-lock", Map.of("locked", true), new JsonObject().put("locked", true));
  }

  @Test
  void z2mContactSensorState() {
    // {"contact": false} means open (contact: true is closed)
    stateIn("z-contact", Map.of("open", true), new JsonObject().put("open", true));
    stateIn("z-contact", Map.of("open", false), new JsonObject().put("open", false));
  }

  @Test
  void z2mThermostatCommandsAndState() {
    // occupied_heating_setpoint and system_mode out; local_temperature in as current_temp
    roundTrip("z-trv", new JsonObject().put("target_temp", 21.5).put("mode", "heat"),
        new JsonObject().put("target_temp", 18.0).put("mode", "off"));
    JsonObject d = gw.awaitDevice("z-trv", x -> x.getJsonObject("state").containsKey("current_temp"));
    assertTrue(d.getJsonObject("state").getValue("current_temp") instanceof Number, d::encode);
  }

  @Test
  void bridgeDeathTakesEveryDeviceBehindItOfflineAndBack() {
    BEHIND_BRIDGE.forEach(gw::awaitOnline);
    // WHEN the bridge dies (Zigbee2MQTT killed: the broker publishes its will on bridge/state)
    gw.bridge(BRIDGE).goOffline(true);
    // THEN every device behind it is offline, reason bridge_offline
    for (String id : BEHIND_BRIDGE) {
      JsonObject d = gw.awaitDevice(id, x -> !x.getBoolean("online"));
      assertEquals("bridge_offline", d.getString("offlineReason"), d::encode);
    }
    // AND a command to one of them is 409, nothing sent
    gw.command("z-bulb", new JsonObject().put("set", new JsonObject().put("power", true)))
        .assertProblem(409, "DEVICE_OFFLINE");
    // WHEN the bridge is back
    gw.bridge(BRIDGE).goOnline();
    // THEN they are all online again, and take commands
    BEHIND_BRIDGE.forEach(gw::awaitOnline);
    gw.set("z-bulb", new JsonObject().put("power", true));
  }

  @Test
  void deviceAnnouncedByTheBridgeIsApprovedAndTakesACommand() {
    // GIVEN the bridge's retained bridge/devices lists a device the gateway does not know
    JsonObject p = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> pending(STRANGER_IEEE), Optional::isPresent).orElseThrow();
    assertEquals("zigbee2mqtt:" + BRIDGE, p.getString("source"));
    assertEquals("kitchen-bulb", p.getString("id"), p::encode);
    assertEquals("light.dimmable", p.getString("profile"), p::encode);
    assertEquals(new JsonObject().put("protocol", "mqtt").put("convention", "zigbee2mqtt").put("bridge", BRIDGE)
        .put("topic", "Kitchen Bulb"), p.getJsonObject("binding"));
    // the devices already registered behind the bridge are not pending
    JsonArray all = gw.http().get("/discovery").assertJson(200).getJsonArray("pending");
    assertEquals(1, all.stream().map(JsonObject.class::cast)
        .filter(x -> ("zigbee2mqtt:" + BRIDGE).equals(x.getString("source"))).count(), all::encode);
    // WHEN the owner approves it
    JsonObject approved = gw.http().post("/devices/kitchen-bulb/approve", new JsonObject().put("room", "kitchen"))
        .assertJson(201);
    // THEN it is registered behind the bridge, with no login of its own, and takes commands
    assertFalse(approved.containsKey("credentials"), approved::encode);
    assertTrue(pending(STRANGER_IEEE).isEmpty());
    gw.awaitOnline("kitchen-bulb");
    gw.set("kitchen-bulb", new JsonObject().put("power", true).put("brightness", 70));
    assertEquals(true, gw.sim(STRANGER).state().get("power"));
  }

  private Optional<JsonObject> pending(String key) {
    JsonArray all = gw.http().get("/discovery").assertJson(200).getJsonArray("pending");
    return all.stream().map(JsonObject.class::cast).filter(x -> key.equals(x.getString("key"))).findFirst();
  }

  // ---- Tasmota

  @Test
  void tasmotaBulbCommandsAndState() {
    roundTrip("t-bulb", new JsonObject().put("power", true).put("brightness", 25),
        new JsonObject().put("brightness", 80));
    stateIn("t-bulb", Map.of("power", false), new JsonObject().put("power", false));
  }

  @Test
  void tasmotaPlugCommandsAndState() {
    roundTrip("t-plug", new JsonObject().put("power", true), new JsonObject().put("power", false));
    stateIn("t-plug", Map.of("power", true), new JsonObject().put("power", true));
  }

  @Test
  void tasmotaDeathIsOfflineByItsWillAndBack() {
    gw.awaitOnline("t-plug");
    gw.sim("t-plug").goOffline(true);
    JsonObject d = gw.awaitDevice("t-plug", x -> !x.getBoolean("online"));
    assertNotNull(d.getString("offlineReason"), d::encode);
    gw.sim("t-plug").goOnline();
    gw.awaitOnline("t-plug");
    gw.set("t-plug", new JsonObject().put("power", true));
  }

  // ---- helpers

  /** Two sets, each answered 200 succeeded with its values, held by the device itself. */
  private void roundTrip(String id, JsonObject first, JsonObject second) {
    gw.awaitOnline(id);
    DeviceScenarios.assertShows(gw.set(id, first).getJsonObject("state"), first);
    DeviceScenarios.assertShows(gw.set(id, second).getJsonObject("state"), second);
    DeviceScenarios.assertShows(gw.device(id).getJsonObject("state"), second);
    DeviceScenarios.assertShows(new JsonObject(new HashMap<>(gw.sim(id).state())), second);
  }

  /** A change made at the device reaches the gateway's view. */
  private void stateIn(String id, Map<String, Object> change, JsonObject expected) {
    gw.awaitOnline(id);
    gw.sim(id).setState(change);
    gw.awaitDevice(id, d -> {
      try {
        DeviceScenarios.assertShows(d.getJsonObject("state"), expected);
        return true;
      } catch (AssertionError e) {
        return false;
      }
    });
  }
}
