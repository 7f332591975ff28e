package io.hearth.gateway.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.sim.SimDevice;
import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimFaults;
import io.hearth.sim.Simulator;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts of the whole gateway (embedded broker included) on the same data dir: the registry,
 * states, versions and idempotency keys survive; nothing is sent at startup; silent devices are
 * marked offline with reason {@code restart}; a stop with a command in flight the device received
 * answers it {@code unknown}, and the device's report after the restart settles it {@code succeeded}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class GatewayRestartE2eTest {
  private static final SimDeviceSpec SILENT = GatewayFixture.device("silent-lamp", "light.dimmable");
  private GatewayFixture gw;

  @BeforeAll
  void start(@TempDir Path dir) {
    gw = GatewayFixture.builder(dir).graceMs(1500)
        .simulated(GatewayFixture.device("r-lamp", "light.dimmable"), GatewayFixture.device("r-plug", "plug"),
            GatewayFixture.device("slow-lamp", "light.dimmable"))
        .registeredOnly(SILENT)
        .build().start();
  }

  @AfterAll
  void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  @Test
  void restartKeepsRegistryStateVersionsAndKeysAndSendsNothing() {
    // GIVEN a device added through the API, with credentials generated and shown once
    JsonObject added = gw.http().post("/devices", new JsonObject().put("id", "new-lamp").put("name", "New lamp")
        .put("room", "hall").put("profile", "light.dimmable")
        .put("binding", new JsonObject().put("protocol", "mqtt").put("convention", "hearth"))).assertJson(201);
    JsonObject creds = added.getJsonObject("credentials");
    assertNotNull(creds, added::encode);
    String password = creds.getString("password");
    assertTrue(password.length() >= 8, added::encode);
    assertFalse(gw.http().get("/devices/new-lamp").body().contains(password), "credentials listed again");
    assertFalse(gw.http().get("/devices").body().contains(password), "credentials listed again");
    // AND a simulated device logs in with them and is controlled
    Simulator newSim = gw.simulate(List.of(SimDeviceSpec.mqtt("new-lamp", "light.dimmable")
        .withCredentials(creds.getString("username"), password).withReportIntervalMs(GatewayFixture.QUIET_REPORT_MS)));
    gw.awaitOnline("new-lamp");
    gw.set("new-lamp", new JsonObject().put("power", true).put("brightness", 44));
    // AND a device that was online, then went away and whose retained messages are gone
    Simulator silentSim = gw.simulate(List.of(SILENT));
    gw.awaitOnline("silent-lamp");
    gw.set("silent-lamp", new JsonObject().put("power", true).put("brightness", 9));
    silentSim.close();
    gw.awaitDevice("silent-lamp", d -> !d.getBoolean("online"));
    try (TopicSpy asSilent = new TopicSpy(gw.mqttUrl(), "silent-lamp-cleaner", "silent-lamp",
        GatewayFixture.password("silent-lamp"))) {
      asSilent.publish("hearth/silent-lamp/state", new byte[0], true);
      asSilent.publish("hearth/silent-lamp/availability", new byte[0], true);
    }
    // AND a state and an idempotent command (the devices may still be reconnecting after an earlier test's restart)
    gw.awaitOnline("r-lamp");
    gw.awaitOnline("r-plug");
    JsonObject keyed = new JsonObject().put("set", new JsonObject().put("power", true).put("brightness", 77));
    JsonObject first = gw.command("r-lamp", keyed, "Idempotency-Key", "restart-key").assertJson(200);
    gw.set("r-plug", new JsonObject().put("power", true));
    Map<String, JsonObject> before = devicesById();
    Map<String, Integer> received = received(newSim.device("new-lamp"));

    // WHEN the gateway restarts
    gw.restart();

    // THEN the registry, states and versions are back at once
    Map<String, JsonObject> after = devicesById();
    assertEquals(before.keySet(), after.keySet());
    for (String id : before.keySet()) {
      assertEquals(before.get(id).getJsonObject("state"), after.get(id).getJsonObject("state"), id);
      assertEquals(before.get(id).getLong("version"), after.get(id).getLong("version"), id);
    }
    assertFalse(gw.http().get("/devices").body().contains(password), "credentials listed after restart");
    // AND the devices that come back are online, the silent one goes offline with reason restart
    for (String id : List.of("r-lamp", "r-plug", "slow-lamp", "new-lamp")) {
      gw.awaitOnline(id);
    }
    JsonObject silent = gw.awaitDevice("silent-lamp", d -> "restart".equals(d.getString("offlineReason")));
    assertFalse(silent.getBoolean("online"), silent::encode);
    // AND re-reported identical states did not move any version
    Map<String, JsonObject> settled = devicesById();
    for (String id : before.keySet()) {
      assertEquals(before.get(id).getLong("version"), settled.get(id).getLong("version"), id);
      assertEquals(before.get(id).getJsonObject("state"), settled.get(id).getJsonObject("state"), id);
    }
    // AND the idempotency key still answers the first result and sends nothing
    JsonObject replay = gw.command("r-lamp", keyed, "Idempotency-Key", "restart-key").assertJson(200);
    assertEquals(first, replay);
    // AND nothing was sent at startup: the next command is the only new one each device sees
    JsonObject marker = gw.set("r-lamp", new JsonObject().put("brightness", 78));
    assertTrue(marker.getLong("version") > before.get("r-lamp").getLong("version"), "version reused");
    assertEquals(received.get("r-lamp") + 1, gw.sim("r-lamp").commandsReceived(),
        gw.sim("r-lamp").receivedCommandIds()::toString);
    gw.set("new-lamp", new JsonObject().put("brightness", 45));
    assertEquals(received, Map.of("r-lamp", gw.sim("r-lamp").commandsReceived() - 1,
        "r-plug", gw.sim("r-plug").commandsReceived(), "slow-lamp", gw.sim("slow-lamp").commandsReceived(),
        "new-lamp", newSim.device("new-lamp").commandsReceived() - 1));
    // AND the added device's generated credentials still admit it (it reconnected on its own)
    assertTrue(newSim.device("new-lamp").online());
  }

  private Map<String, Integer> received(SimDevice newLamp) {
    return new HashMap<>(Map.of("r-lamp", gw.sim("r-lamp").commandsReceived(),
        "r-plug", gw.sim("r-plug").commandsReceived(), "slow-lamp", gw.sim("slow-lamp").commandsReceived(),
        "new-lamp", newLamp.commandsReceived()));
  }

  private Map<String, JsonObject> devicesById() {
    Map<String, JsonObject> out = new HashMap<>();
    gw.http().get("/devices").assertJson(200).getJsonArray("devices")
        .forEach(d -> out.put(((JsonObject) d).getString("id"), (JsonObject) d));
    return out;
  }

  @Test
  void stopWithACommandInFlightEndsItUnknownTheDevicesReportSettlesItAndItIsNeverResent() throws Exception {
    stopWithACommandInFlight(answer -> {
      // THEN the client is not left hanging (see stopAnswersAnInFlightCommandOutcomeUnknown for the answer itself)
      try {
        answer.get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        assertTrue(e.getCause() instanceof java.io.IOException, e::toString);
      }
    });
  }

  @Test
  void stopAnswersAnInFlightCommandOutcomeUnknown() throws Exception {
    stopWithACommandInFlight(answer -> {
      JsonObject p = answer.get(10, TimeUnit.SECONDS).assertProblem(504, "OUTCOME_UNKNOWN");
      assertEquals("unknown", p.getString("commandStatus"), p::encode);
    });
  }

  interface AnswerCheck {
    void check(CompletableFuture<Http.Resp> answer) throws Exception;
  }

  private void stopWithACommandInFlight(AnswerCheck check) throws Exception {
    SimDevice sim = gw.sim("slow-lamp");
    gw.awaitOnline("slow-lamp");
    sim.setFaults(SimFaults.NONE.withDropReplies(true));
    try {
      // GIVEN a wait=true command in flight to a device that never confirms
      int before = sim.commandsReceived();
      CompletableFuture<Http.Resp> answer = gw.http().postAsync("/devices/slow-lamp/commands",
          new JsonObject().put("set", new JsonObject().put("brightness", 21)).put("timeoutMs", 60000));
      await().atMost(Duration.ofSeconds(10)).until(() -> sim.commandsReceived() > before);
      String cid = sim.receivedCommandIds().get(before);
      // WHEN the gateway stops
      gw.stopGateway();
      check.check(answer);
      // AND after a restart the command is unknown (the device executed it, its reply was lost), until
      // the device's state, published when it reconnects, shows brightness 21: then it succeeded
      gw.startGateway();
      JsonObject c = gw.getCommand("slow-lamp", cid).assertJson(200);
      assertTrue(java.util.Set.of("unknown", "succeeded").contains(c.getString("status")), c::encode);
      assertNotNull(c.getString("completedAt"), c::encode);
      await().atMost(Duration.ofSeconds(20)).until(
          () -> "succeeded".equals(gw.getCommand("slow-lamp", cid).assertJson(200).getString("status")));
      // AND it is not re-sent once the device is back
      gw.awaitOnline("slow-lamp");
      sim.setFaults(SimFaults.NONE);
      gw.set("slow-lamp", new JsonObject().put("brightness", 22));
      assertEquals(1, java.util.Collections.frequency(sim.receivedCommandIds(), cid));
    } finally {
      sim.setFaults(SimFaults.NONE);
      if (gw.app() == null) {
        gw.startGateway();
      }
    }
  }
}
