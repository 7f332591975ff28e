package io.hearth.gateway.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.sim.SimDevice;
import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimFaults;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end scenarios run over every broker the gateway supports (as Leshan's
 * {@code @TestAllTransportLayer}): the subclasses say which broker; the scenarios are written once.
 * One gateway and one set of simulated devices are shared by the tests of a class; every test uses
 * its own devices so the tests do not interfere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DeviceScenarios {
  protected GatewayFixture gw;

  /** Devices every broker run has; subclasses may add more. */
  protected List<SimDeviceSpec> devices() {
    return new ArrayList<>(List.of(
        GatewayFixture.device("lamp", "light.dimmable"),
        GatewayFixture.device("thermo", "thermostat"),
        GatewayFixture.device("curtain", "curtain"),
        GatewayFixture.device("tas-plug", "plug").withConvention("tasmota", "tasmota_e2e_plug"),
        GatewayFixture.device("z2m-light", "light.dimmable").withConvention("zigbee2mqtt", "hall_light_e2e"),
        GatewayFixture.device("off-lamp", "light.dimmable"),
        GatewayFixture.device("rej-lamp", "light.dimmable"),
        GatewayFixture.device("drop-lamp", "light.dimmable"),
        GatewayFixture.device("junk-lamp", "light.dimmable")));
  }

  /** The fixture builder with this run's broker configured (starts the broker if external). */
  protected abstract GatewayFixture.Builder withBroker(Path dir, List<SimDeviceSpec> devices) throws Exception;

  /** Stops what {@link #withBroker} started. */
  protected void stopBroker() {}

  /** Whether the broker refuses a 1 MB publish (by closing the device's connection). */
  protected abstract boolean brokerRefusesHugePayloads();

  @BeforeAll
  void startGateway(@TempDir Path dir) throws Exception {
    List<SimDeviceSpec> devices = devices();
    gw = withBroker(dir, devices).simulated(devices.toArray(SimDeviceSpec[]::new)).build().start();
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

  // ---- scenario 1: command round trips

  @Test
  void dimmableLightRoundTrip() {
    roundTrip("lamp", new JsonObject().put("power", true).put("brightness", 30),
        new JsonObject().put("power", false).put("brightness", 70).put("color_temp", 3000));
  }

  @Test
  void thermostatRoundTrip() {
    roundTrip("thermo", new JsonObject().put("target_temp", 21.5).put("mode", "heat"),
        new JsonObject().put("target_temp", 18.0).put("mode", "cool"));
  }

  @Test
  void tasmotaPlugRoundTripIsConfirmedByState() {
    roundTrip("tas-plug", new JsonObject().put("power", true), new JsonObject().put("power", false));
  }

  @Test
  void zigbee2mqttLightRoundTripIsConfirmedByState() {
    // brightness 0-100 ↔ 0-254 both ways: 40 → 102 → 40, 60 → 152 → 60
    roundTrip("z2m-light", new JsonObject().put("power", true).put("brightness", 40),
        new JsonObject().put("brightness", 60));
  }

  /**
   * Sends two different sets (so the second surely changes state) and checks the whole round trip:
   * 200 succeeded with the state, a growing version, GET device and GET command, and the device.
   */
  protected void roundTrip(String id, JsonObject first, JsonObject second) {
    // GIVEN the device is online
    gw.awaitOnline(id);
    long v0 = gw.device(id).getLong("version");
    // WHEN two commands are sent
    JsonObject a = gw.set(id, first);
    JsonObject b = gw.set(id, second);
    // THEN each answer shows its values and a growing version
    assertEquals(id, a.getString("device"));
    assertShows(a.getJsonObject("state"), first);
    assertShows(b.getJsonObject("state"), second);
    long va = a.getLong("version");
    long vb = b.getLong("version");
    assertTrue(va >= v0 && vb > va, () -> "versions " + v0 + " → " + va + " → " + vb);
    // AND GET device shows the last values, nothing pending
    JsonObject d = gw.device(id);
    assertShows(d.getJsonObject("state"), second);
    assertTrue(d.getLong("version") >= vb);
    assertTrue(d.getBoolean("online"));
    // AND GET command shows succeeded with its times
    assertSucceeded(id, a.getString("commandId"));
    assertSucceeded(id, b.getString("commandId"));
    // AND the device itself holds the values
    assertShows(new JsonObject(new java.util.HashMap<>(gw.sim(id).state())), second);
  }

  static void assertShows(JsonObject state, JsonObject expected) {
    assertNotNull(state, "state");
    expected.forEach(e -> {
      Object actual = state.getValue(e.getKey());
      if (e.getValue() instanceof Number n) {
        assertTrue(actual instanceof Number, () -> e.getKey() + " is not a number in " + state);
        assertEquals(n.doubleValue(), ((Number) actual).doubleValue(), 1e-9, () -> e.getKey() + " in " + state);
      } else {
        assertEquals(e.getValue(), actual, () -> e.getKey() + " in " + state);
      }
    });
  }

  protected JsonObject assertSucceeded(String id, String commandId) {
    JsonObject c = gw.getCommand(id, commandId).assertJson(200);
    assertEquals(commandId, c.getString("commandId"));
    assertEquals("succeeded", c.getString("status"), c::encode);
    Instant created = Instant.parse(c.getString("createdAt"));
    Instant completed = Instant.parse(c.getString("completedAt"));
    assertFalse(completed.isBefore(created), c::encode);
    assertFalse(c.containsKey("error"), c::encode);
    return c;
  }

  // ---- scenario 2: error codes

  @Test
  void unknownDeviceIs404() {
    gw.http().get("/devices/no-such-device").assertProblem(404, "DEVICE_NOT_FOUND");
    gw.command("no-such-device", new JsonObject().put("set", new JsonObject().put("power", true)))
        .assertProblem(404, "DEVICE_NOT_FOUND");
  }

  @Test
  void unknownCommandIs404() {
    gw.getCommand("lamp", "00000000-0000-4000-8000-000000000000").assertProblem(404, "COMMAND_NOT_FOUND");
    // a command of another device is not found through this one
    String cid = gw.set("thermo", new JsonObject().put("mode", "auto")).getString("commandId");
    gw.getCommand("lamp", cid).assertProblem(404, "COMMAND_NOT_FOUND");
  }

  @Test
  void offlineDeviceIs409AndNothingIsSent() {
    SimDevice sim = gw.sim("off-lamp");
    try (TopicSpy spy = spyOn("off-lamp")) {
      // GIVEN the device dropped off and the broker published its will
      sim.goOffline(true);
      JsonObject d = gw.awaitDevice("off-lamp", x -> !x.getBoolean("online"));
      assertEquals("lwt", d.getString("offlineReason"), d::encode);
      int before = sim.commandsReceived();
      // WHEN a command is sent
      Http.Resp r = gw.command("off-lamp", new JsonObject().put("set", new JsonObject().put("power", true)));
      // THEN 409 and nothing reaches the device's command topics
      r.assertProblem(409, "DEVICE_OFFLINE");
      assertEquals(before, sim.commandsReceived());
      sim.goOnline();
      gw.awaitOnline("off-lamp");
      // a command after it is back goes through: the spy sees exactly that one
      String cid = gw.set("off-lamp", new JsonObject().put("power", true)).getString("commandId");
      await().atMost(Duration.ofSeconds(10)).until(() -> !spy.received().isEmpty());
      List<String> seen = spy.received();
      assertEquals(1, seen.size(), seen::toString);
      assertTrue(seen.get(0).contains(cid), seen::toString);
    } finally {
      if (!sim.online()) {
        sim.goOnline();
      }
    }
  }

  /** A second client with the device's credentials, subscribed to the device's command topics. */
  protected TopicSpy spyOn(String id) {
    return new TopicSpy(gw.mqttUrl(), id + "-spy", id, GatewayFixture.password(id))
        .subscribe("hearth/" + id + "/set", "hearth/" + id + "/action/+");
  }

  @Test
  void invalidCommandsAre422WithOneErrorPerProblemAndNothingIsSent() {
    int thermoBefore = gw.sim("thermo").commandsReceived();
    int curtainBefore = gw.sim("curtain").commandsReceived();
    // out of range, read-only, bad enum, unknown property: one entry each
    JsonObject p = gw.command("thermo", new JsonObject().put("set", new JsonObject()
            .put("target_temp", 50).put("current_temp", 20).put("mode", "turbo").put("colour", "red")))
        .assertProblem(422, "VALIDATION_FAILED");
    assertEquals(Set.of("target_temp", "current_temp", "mode", "colour"), errorProperties(p), p::encode);
    // unknown action
    JsonObject a = gw.command("curtain", new JsonObject().put("action", "explode"))
        .assertProblem(422, "VALIDATION_FAILED");
    assertEquals(1, a.getJsonArray("errors").size(), a::encode);
    // wrong type
    JsonObject t = gw.command("thermo", new JsonObject().put("set", new JsonObject().put("target_temp", "warm")))
        .assertProblem(422, "VALIDATION_FAILED");
    assertEquals(Set.of("target_temp"), errorProperties(t), t::encode);
    // THEN nothing was sent: a following good command is the next thing each device receives
    String cid = gw.set("thermo", new JsonObject().put("target_temp", 20.0)).getString("commandId");
    assertEquals(List.of(cid), gw.sim("thermo").receivedCommandIds().subList(thermoBefore,
        gw.sim("thermo").commandsReceived()));
    assertEquals(curtainBefore, gw.sim("curtain").commandsReceived());
  }

  @Test
  void whatABindingCannotCarryIsShownAnd422AndNothingIsSentOrRecorded() {
    // GIVEN a zigbee2mqtt light: the device view says what its binding carries (no blink)
    gw.awaitOnline("z2m-light");
    JsonObject supports = gw.device("z2m-light").getJsonObject("supports");
    assertEquals(new JsonArray(List.of("power", "brightness", "color_temp")), supports.getJsonArray("set"), supports::encode);
    assertEquals(new JsonArray(), supports.getJsonArray("actions"), supports::encode);
    assertEquals(new JsonArray(List.of("blink")), gw.device("lamp").getJsonObject("supports").getJsonArray("actions"));
    SimDevice sim = gw.sim("z2m-light");
    try (TopicSpy spy = new TopicSpy(gw.mqttUrl(), "z2m-light-spy", "z2m-light", GatewayFixture.password("z2m-light"))
        .subscribe("zigbee2mqtt/hall_light_e2e/set")) {
      int before = sim.commandsReceived();
      // WHEN the profile's blink is sent to it
      JsonObject p = gw.command("z2m-light", new JsonObject().put("action", "blink")
          .put("input", new JsonObject().put("times", 2))).assertProblem(422, "VALIDATION_FAILED");
      // THEN 422 names the action, the command was never recorded (no id) and nothing is published
      assertEquals(Set.of("action"), errorProperties(p), p::encode);
      assertFalse(p.containsKey("commandId"), p::encode);
      String cid = gw.set("z2m-light", new JsonObject().put("brightness", 20)).getString("commandId");
      assertNotNull(cid);
      await().atMost(Duration.ofSeconds(10)).until(() -> !spy.received().isEmpty());
      List<String> seen = spy.received();
      assertEquals(1, seen.size(), seen::toString);
      assertTrue(seen.get(0).contains("\"brightness\":51"), seen::toString);
      assertEquals(before + 1, sim.commandsReceived());
    }
  }

  static Set<String> errorProperties(JsonObject problem) {
    JsonArray errors = problem.getJsonArray("errors");
    assertNotNull(errors, problem::encode);
    errors.forEach(e -> assertFalse(((JsonObject) e).getString("message", "").isBlank(), problem::encode));
    return errors.stream().map(e -> ((JsonObject) e).getString("property")).collect(Collectors.toSet());
  }

  @Test
  void rejectedCommandIs502AndFailed() {
    SimDevice sim = gw.sim("rej-lamp");
    sim.setFaults(SimFaults.NONE.withReject(true));
    try {
      long v0 = gw.device("rej-lamp").getLong("version");
      JsonObject p = gw.command("rej-lamp", new JsonObject().put("set", new JsonObject().put("brightness", 55)))
          .assertProblem(502, "DEVICE_REJECTED");
      String cid = p.getString("commandId");
      assertNotNull(cid, p::encode);
      JsonObject c = gw.getCommand("rej-lamp", cid).assertJson(200);
      assertEquals("failed", c.getString("status"), c::encode);
      assertNotNull(c.getString("error"), c::encode);
      assertNotNull(c.getString("completedAt"), c::encode);
      JsonObject d = gw.device("rej-lamp");
      assertEquals(v0, d.getLong("version"), d::encode);
      assertTrue(d.getJsonObject("pending").isEmpty(), d::encode);
      assertFalse(Integer.valueOf(55).equals(d.getJsonObject("state").getValue("brightness")), d::encode);
    } finally {
      sim.setFaults(SimFaults.NONE);
    }
  }

  @Test
  void unconfirmedCommandIs504AndTimedOut() {
    SimDevice sim = gw.sim("drop-lamp");
    sim.setFaults(SimFaults.NONE.withDropReplies(true));
    try {
      long began = System.nanoTime();
      JsonObject p = gw.command("drop-lamp", new JsonObject().put("set", new JsonObject().put("brightness", 33))
              .put("timeoutMs", 800))
          .assertProblem(504, "COMMAND_TIMEOUT");
      long ms = (System.nanoTime() - began) / 1_000_000;
      assertTrue(ms >= 700, "answered after " + ms + " ms, before the timeout");
      JsonObject c = gw.getCommand("drop-lamp", p.getString("commandId")).assertJson(200);
      assertEquals("timed_out", c.getString("status"), c::encode);
      assertNotNull(c.getString("completedAt"), c::encode);
      assertTrue(gw.device("drop-lamp").getJsonObject("pending").isEmpty());
    } finally {
      sim.setFaults(SimFaults.NONE);
    }
  }

  // ---- scenario 5: garbage from a device

  @Test
  void garbageFromADeviceIsDroppedAndTheNextGoodReportApplies() {
    SimDevice sim = gw.sim("junk-lamp");
    gw.awaitOnline("junk-lamp");
    JsonObject before = gw.device("junk-lamp");
    long v0 = before.getLong("version");
    double dropped0 = droppedReports();
    // WHEN the device publishes garbage on its state topic
    List<byte[]> garbage = List.of(
        "not json{".getBytes(StandardCharsets.UTF_8),
        "{\"brightness\":\"high\"}".getBytes(StandardCharsets.UTF_8),
        "{\"power\":42}".getBytes(StandardCharsets.UTF_8),
        "[1,2,3]".getBytes(StandardCharsets.UTF_8),
        "{\"brightness\":1e400}".getBytes(StandardCharsets.UTF_8),
        new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    for (byte[] g : garbage) {
      sim.publishRaw(null, g);
    }
    byte[] huge = new byte[1024 * 1024];
    Arrays.fill(huge, (byte) 'x');
    huge[0] = '{';
    if (brokerRefusesHugePayloads()) {
      // the broker closes the connection of a client that sends a packet past its limit
      assertThrows(RuntimeException.class, () -> sim.publishRaw(null, huge));
      await().atMost(Duration.ofSeconds(30)).until(sim::online);
    } else {
      sim.publishRaw(null, huge);
    }
    // THEN the gateway stays healthy, the state and version are unchanged …
    Http.Resp health = gw.http().get("/health");
    assertEquals(200, health.status(), health::toString);
    JsonObject mid = gw.device("junk-lamp");
    assertEquals(v0, mid.getLong("version"), mid::encode);
    assertEquals(before.getJsonObject("state"), mid.getJsonObject("state"));
    // … and the next good report (published after all garbage, so handled after it) is applied
    int brightness = Integer.valueOf(17).equals(before.getJsonObject("state").getValue("brightness")) ? 18 : 17;
    sim.setState(Map.of("brightness", brightness));
    JsonObject after = gw.awaitDevice("junk-lamp",
        d -> Integer.valueOf(brightness).equals(d.getJsonObject("state").getValue("brightness")));
    assertEquals(v0 + 1, after.getLong("version"), after::encode);
    assertEquals(before.getJsonObject("state").copy().put("brightness", brightness), after.getJsonObject("state"));
    assertEquals(200, gw.http().get("/health").status());
    // AND every piece of garbage was counted (the metric once missed what adapters could not decode)
    double counted = droppedReports() - dropped0;
    assertTrue(counted >= garbage.size(), () -> "hearth_device_reports_dropped grew by " + counted);
  }

  /** {@code hearth_device_reports_dropped} from {@code GET /metrics}. */
  private double droppedReports() {
    Http.Resp r = gw.http().get("/metrics");
    assertEquals(200, r.status(), r::toString);
    return r.body().lines().filter(l -> l.startsWith("hearth_device_reports_dropped "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim())).findFirst()
        .orElseThrow(() -> new AssertionError("no hearth_device_reports_dropped in /metrics"));
  }
}
