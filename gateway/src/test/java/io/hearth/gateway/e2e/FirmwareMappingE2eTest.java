package io.hearth.gateway.e2e;

import static io.hearth.gateway.e2e.DeviceScenarios.assertShows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.sim.SimDevice;
import io.hearth.sim.SimDeviceSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-profile Tasmota and Zigbee2MQTT mappings (docs/conventions-mqtt.md) against
 * protocol-sim's firmware-faithful devices, on the embedded broker: state in, commands out, for
 * the profiles whose keys clash or differ (Z2M plug {@code power} in watts, lock, contact,
 * thermostat, cover actions; Tasmota {@code CT} over the full mired range).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FirmwareMappingE2eTest {
  private GatewayFixture gw;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    List<SimDeviceSpec> devices = List.of(
        GatewayFixture.device("z-plug", "plug").withConvention("zigbee2mqtt", "z_plug"),
        GatewayFixture.device("z-lock", "lock").withConvention("zigbee2mqtt", "z_lock"),
        GatewayFixture.device("z-door", "sensor.contact").withConvention("zigbee2mqtt", "z_door"),
        GatewayFixture.device("z-thermo", "thermostat").withConvention("zigbee2mqtt", "z_thermo"),
        GatewayFixture.device("z-curtain", "curtain").withConvention("zigbee2mqtt", "z_curtain"),
        GatewayFixture.device("t-bulb", "light.dimmable").withConvention("tasmota", "t_bulb"));
    gw = GatewayFixture.builder(dir).simulated(devices.toArray(SimDeviceSpec[]::new)).build().start();
  }

  @AfterAll
  void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  private void setAndSee(String id, JsonObject set) {
    gw.awaitOnline(id);
    JsonObject answer = gw.set(id, set);
    assertEquals("succeeded", answer.getString("status"), answer::encode);
    assertShows(answer.getJsonObject("state"), set);
    assertShows(new JsonObject(new java.util.HashMap<>(gw.sim(id).state())), set);
  }

  @Test
  void zigbee2mqttPlugSwitchesAndReportsWatts() {
    setAndSee("z-plug", new JsonObject().put("power", true));
    setAndSee("z-plug", new JsonObject().put("power", false));
    gw.sim("z-plug").setState(Map.of("power_w", 42.5, "energy_kwh", 3.25));
    gw.awaitDevice("z-plug", d -> Double.valueOf(42.5).equals(d.getJsonObject("state").getDouble("power_w"))
        && Double.valueOf(3.25).equals(d.getJsonObject("state").getDouble("energy_kwh")));
    assertEquals(new JsonArray(List.of("power")), gw.device("z-plug").getJsonObject("supports").getJsonArray("set"));
  }

  @Test
  void zigbee2mqttLockLocksAndUnlocks() {
    setAndSee("z-lock", new JsonObject().put("locked", true));
    setAndSee("z-lock", new JsonObject().put("locked", false));
  }

  @Test
  void zigbee2mqttContactTrueIsClosed() {
    SimDevice sim = gw.sim("z-door");
    gw.awaitOnline("z-door");
    boolean open = Boolean.TRUE.equals(sim.state().get("open"));
    sim.setState(Map.of("open", !open));
    gw.awaitDevice("z-door", d -> Boolean.valueOf(!open).equals(d.getJsonObject("state").getBoolean("open")));
  }

  @Test
  void zigbee2mqttThermostatSetpointAndMode() {
    setAndSee("z-thermo", new JsonObject().put("target_temp", 21.5).put("mode", "heat"));
    gw.awaitDevice("z-thermo", d -> d.getJsonObject("state").getValue("current_temp") instanceof Number);
  }

  @Test
  void zigbee2mqttCurtainPositionAndCoverActions() {
    setAndSee("z-curtain", new JsonObject().put("position", 30));
    JsonObject open = gw.command("z-curtain", new JsonObject().put("action", "open")).assertJson(200);
    assertEquals("succeeded", open.getString("status"), open::encode);
    gw.awaitDevice("z-curtain", d -> Integer.valueOf(100).equals(d.getJsonObject("state").getValue("position")));
  }

  @Test
  void tasmotaBulbColourTemperatureOverTheFullRange() {
    setAndSee("t-bulb", new JsonObject().put("power", true).put("brightness", 40).put("color_temp", 2000));
    JsonObject warm = gw.device("t-bulb");
    assertEquals(2000, warm.getJsonObject("state").getInteger("color_temp"), warm::encode);
    JsonObject cold = gw.set("t-bulb", new JsonObject().put("color_temp", 6500));
    assertEquals(6500, cold.getJsonObject("state").getInteger("color_temp"), cold::encode);
    assertTrue(gw.device("t-bulb").getJsonObject("supports").getJsonArray("actions").isEmpty());
  }
}
