package io.hearth.gateway.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.sim.SimDevice;
import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.Simulator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasmota discovery end to end, written once and run on each broker (subclasses): firmware-faithful
 * simulated Tasmota devices, unknown to the gateway, publish their retained
 * {@code tasmota/discovery/<MAC>/config}; the owner sees them in GET /discovery, approves them, and
 * the approved plug is online and takes a command. A device must be connected to announce itself
 * (docs/discovery.md, "Onboarding"): on Mosquitto it has its broker account; on the embedded broker
 * this runs with {@code allowAnonymous} (development only), as the onboarding steps describe.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class TasmotaDiscoveryScenarios {
  static final String PLUG_MAC = "5CCF7FD15C01";
  static final String SENSOR_MAC = "5CCF7FD15C02";

  protected GatewayFixture gw;
  private Simulator sim;

  /** The simulated devices: the plug and a sensor-only board, announcing 200 ms after they connect. */
  protected List<SimDeviceSpec> devices() {
    return List.of(
        SimDeviceSpec.tasmota("found-plug", "plug", "tasmota_D15C01", PLUG_MAC).withFirmware("discoveryDelayMs", 200),
        SimDeviceSpec.tasmota("found-climate", "sensor.climate", "tasmota_D15C02", SENSOR_MAC)
            .withFirmware("discoveryDelayMs", 200));
  }

  /** The fixture builder with this run's broker (started here if external), for these devices. */
  protected abstract GatewayFixture.Builder withBroker(Path dir, List<SimDeviceSpec> devices);

  /** Stops what {@link #withBroker} started. */
  protected void stopBroker() {}

  @BeforeAll
  void start(@TempDir Path dir) {
    List<SimDeviceSpec> devices = devices();
    gw = withBroker(dir, devices).build().start();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> "up".equals(new JsonObject(gw.http().get("/health").body()).getString("mqtt")));
    // no device registered: the simulated Tasmota devices are strangers to the gateway
    sim = gw.simulate(devices);
  }

  @AfterAll
  void stop() {
    try {
      if (gw != null) {
        gw.close();
      }
    } finally {
      stopBroker();
    }
  }

  Optional<JsonObject> pending(String key) {
    JsonArray all = gw.http().get("/discovery").assertJson(200).getJsonArray("pending");
    return all.stream().map(JsonObject.class::cast).filter(p -> key.equals(p.getString("key"))).findFirst();
  }

  JsonObject awaitPending(String key) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> pending(key), Optional::isPresent).orElseThrow();
  }

  @Test
  void discoveredPlugIsApprovedAndTakesACommand() {
    // GIVEN the plug's discovery config arrived
    JsonObject p = awaitPending(PLUG_MAC);
    assertEquals("tasmota", p.getString("source"));
    assertEquals("tasmota_d15c01", p.getString("id"), p::encode);
    assertEquals("plug", p.getString("profile"), p::encode);
    assertEquals("mqtt", p.getString("protocol"));
    assertEquals(new JsonObject().put("protocol", "mqtt").put("convention", "tasmota").put("topic", "tasmota_D15C01"),
        p.getJsonObject("binding"));
    assertEquals(PLUG_MAC, p.getJsonObject("details").getString("mac"));
    assertNotNull(p.getString("seenAt"));

    // WHEN the owner approves it with things only CoAP devices take THEN 422 naming them, nothing registered
    JsonObject wrong = gw.http().post("/devices/tasmota_d15c01/approve", new JsonObject().put("write", "replace"))
        .assertProblem(422, "VALIDATION_FAILED");
    assertEquals(List.of("write"), DeviceScenarios.errorProperties(wrong).stream().toList(), wrong::encode);
    JsonObject unknown = gw.http().post("/devices/tasmota_d15c01/approve", new JsonObject().put("profile", "toaster"))
        .assertProblem(422, "VALIDATION_FAILED");
    assertTrue(unknown.encode().contains("toaster"), unknown::encode);
    assertEquals(List.of("profile"), DeviceScenarios.errorProperties(unknown).stream().toList(), unknown::encode);
    assertEquals(404, gw.http().get("/devices/tasmota_d15c01").status());

    // WHEN it is approved with a name and a room
    JsonObject approved = gw.http().post("/devices/tasmota_d15c01/approve",
        new JsonObject().put("name", "Desk plug").put("room", "office")).assertJson(201);
    // THEN it is registered like POST /devices would, with broker credentials shown this once
    assertEquals("Desk plug", approved.getString("name"));
    assertEquals("office", approved.getString("room"));
    assertEquals("plug", approved.getString("profile"));
    assertNotNull(approved.getJsonObject("credentials"), approved::encode);
    assertTrue(pending(PLUG_MAC).isEmpty(), "an approved device is no longer pending");
    // AND it is online (its retained LWT and state) and takes a command
    gw.awaitOnline("tasmota_d15c01");
    SimDevice plug = sim.device("found-plug");
    boolean target = !Boolean.TRUE.equals(plug.state().get("power"));
    gw.set("tasmota_d15c01", new JsonObject().put("power", target));
    assertEquals(target, plug.state().get("power"));
  }

  @Test
  void aDeviceWithoutAGuessNeedsAProfile() {
    // GIVEN a sensor-only board (no relay, no light): no profile guess
    JsonObject p = awaitPending(SENSOR_MAC);
    assertNull(p.getValue("profile"), p::encode);
    assertTrue(p.containsKey("profile"), "profile is listed as null");
    // WHEN approved without one THEN 422 naming profile
    JsonObject problem = gw.http().post("/devices/tasmota_d15c02/approve", new JsonObject())
        .assertProblem(422, "VALIDATION_FAILED");
    assertEquals(List.of("profile"), DeviceScenarios.errorProperties(problem).stream().toList(), problem::encode);
    // WHEN the owner names it THEN it is registered with it
    JsonObject approved = gw.http().post("/devices/tasmota_d15c02/approve",
        new JsonObject().put("profile", "sensor.climate")).assertJson(201);
    assertEquals("sensor.climate", approved.getString("profile"));
    assertFalse(pending(SENSOR_MAC).isPresent());
  }
}
