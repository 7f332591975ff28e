package io.hearth.gateway.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.config.AutomationConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automations through the real gateway with protocol-sim devices (docs/automations.md): a contact
 * sensor turns a light on and, once closed, off again; the rule's run is recorded step by step;
 * a rule of the automations file is read-only; validation names the field; guests get 403; a run
 * under way when the gateway stops is recorded {@code interrupted} after the restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class AutomationE2eTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private GatewayFixture gw;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("automations.yaml");
    Files.writeString(file, """
        automations:
          - id: from-file
            alias: Declared in the file
            triggers: [ { trigger: event, device: door, event: tamper } ]
            actions: [ { notify: { message: tamper } } ]
        """);
    gw = GatewayFixture.builder(dir)
        .simulated(GatewayFixture.device("door", "sensor.contact"), GatewayFixture.device("lamp", "light.dimmable"))
        .automations(new AutomationConfig(file, 30, 30, 51.51, -0.13, ZoneOffset.UTC))
        .build().start();
  }

  @AfterAll
  void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  @Test
  @Order(1)
  void contactSensorTurnsTheLightOnAndOffAgain() {
    // GIVEN a rule: the door opens → lamp on, wait until it closes, lamp off
    JsonObject rule = new JsonObject("""
        {"id": "hall-light", "alias": "Hall light while the door is open", "mode": "restart",
         "triggers": [{"trigger": "state", "device": "door", "property": "open", "to": true}],
         "actions": [
           {"command": {"device": "lamp", "set": {"power": true, "brightness": 80}}},
           {"wait": {"device": "door", "property": "open", "state": false, "timeout": "10m"}},
           {"command": {"device": "lamp", "set": {"power": false}}}]}
        """);
    gw.awaitOnline("door");
    gw.awaitOnline("lamp");
    JsonObject created = gw.http().post("/automations", rule).assertJson(201);
    assertEquals("api", created.getString("source"));
    assertTrue(created.getBoolean("enabled"));
    // WHEN the door opens THEN the simulated lamp turns on
    gw.sim("door").setState(Map.of("open", true));
    await().atMost(WAIT).until(() -> Boolean.TRUE.equals(gw.sim("lamp").state().get("power")));
    assertEquals(80, ((Number) gw.sim("lamp").state().get("brightness")).intValue());
    // WHEN it closes THEN the lamp turns off again
    gw.sim("door").setState(Map.of("open", false));
    await().atMost(WAIT).until(() -> Boolean.FALSE.equals(gw.sim("lamp").state().get("power")));
    // AND the run is recorded: the trigger and three steps
    JsonObject run = await().atMost(WAIT).until(() -> gw.http().get("/automations/hall-light/runs")
        .assertJson(200).getJsonArray("runs").getJsonObject(0), r -> "succeeded".equals(r.getString("status")));
    assertEquals("state", run.getJsonObject("trigger").getString("type"));
    assertEquals(true, run.getJsonObject("trigger").getValue("to"));
    JsonArray steps = run.getJsonArray("steps");
    assertEquals(3, steps.size(), run::encode);
    for (int i = 0; i < 3; i++) {
      assertEquals("succeeded", steps.getJsonObject(i).getString("status"), run::encode);
    }
    assertTrue(steps.getJsonObject(0).getString("commandId") != null, run::encode);
    // AND disabled, the door does nothing
    gw.http().post("/automations/hall-light/disable", new JsonObject()).assertJson(200);
    gw.sim("door").setState(Map.of("open", true));
    gw.sim("door").setState(Map.of("open", false));
    gw.awaitDevice("door", d -> Boolean.FALSE.equals(d.getJsonObject("state").getValue("open")));
    assertEquals(1, gw.http().get("/automations/hall-light/runs").assertJson(200).getJsonArray("runs").size());
  }

  @Test
  @Order(2)
  void fileRulesAreReadOnlyAndBadRulesNameTheField() {
    JsonObject list = gw.http().get("/automations").assertJson(200);
    assertTrue(list.getJsonArray("automations").stream().map(o -> (JsonObject) o)
        .anyMatch(o -> o.getString("id").equals("from-file") && o.getString("source").equals("file")), list::encode);
    gw.http().delete("/automations/from-file").assertProblem(409, "CONFLICT");
    gw.http().get("/automations/nope").assertProblem(404, "NOT_FOUND");
    JsonObject bad = gw.http().post("/automations", new JsonObject("""
        {"id": "bad", "mode": "sometimes",
         "triggers": [{"trigger": "state", "device": "no-such-device", "property": "open", "for": "soon"}],
         "actions": [{"delay": "5m"}, {"dance": true}]}
        """)).assertProblem(422, "VALIDATION_FAILED");
    String errors = bad.getJsonArray("errors").encode();
    for (String path : new String[] {"mode", "triggers[0].device", "triggers[0].for", "actions[1]"}) {
      assertTrue(errors.contains("\"" + path + "\""), path + " in " + errors);
    }
    // a guest may not manage automations
    String invite = gw.http().post("/users/invites", new JsonObject().put("role", "guest")
        .put("devices", new JsonArray().add("lamp"))).assertJson(201).getString("code");
    Http guest = new Http(gw.http().base());
    guest.token(guest.post("/auth/pair", new JsonObject().put("code", invite).put("client", "phone"))
        .assertJson(200).getString("accessToken"));
    guest.get("/automations").assertProblem(403, "FORBIDDEN");
    guest.post("/automations", new JsonObject().put("id", "x")).assertProblem(403, "FORBIDDEN");
  }

  @Test
  @Order(3)
  void aSceneActionActivatesTheSceneAndAnUnknownSceneFailsTheStep() {
    // GIVEN a scene over the lamp, and a rule that activates it, then an unknown one
    gw.http().post("/scenes", new JsonObject("""
        {"id": "reading", "name": "Reading", "targets": {"lamp": {"power": true, "brightness": 35}}}
        """)).assertJson(201);
    gw.http().post("/automations", new JsonObject("""
        {"id": "scene-rule", "triggers": [{"trigger": "time", "at": "04:00"}],
         "actions": [{"scene": "reading"}, {"scene": "no-such-scene"}]}
        """)).assertJson(201);
    // WHEN it runs THEN the lamp reaches the scene's values through the command path
    gw.http().post("/automations/scene-rule/trigger", new JsonObject()).assertJson(202);
    await().atMost(WAIT).until(() -> Boolean.TRUE.equals(gw.sim("lamp").state().get("power"))
        && ((Number) gw.sim("lamp").state().get("brightness")).intValue() == 35);
    // AND the run records the scene step's answer, and the unknown scene as SCENE_NOT_FOUND
    JsonObject run = await().atMost(WAIT).until(() -> gw.http().get("/automations/scene-rule/runs")
        .assertJson(200).getJsonArray("runs").getJsonObject(0), r -> !"running".equals(r.getString("status")));
    JsonArray steps = run.getJsonArray("steps");
    assertEquals("succeeded", steps.getJsonObject(0).getString("status"), run::encode);
    assertTrue(steps.getJsonObject(0).encode().contains("\"lamp\""), run::encode);
    assertEquals("failed", steps.getJsonObject(1).getString("status"), run::encode);
    assertEquals("SCENE_NOT_FOUND", steps.getJsonObject(1).getString("code"), run::encode);
  }

  @Test
  @Order(4) // last: it restarts the gateway
  void aRunUnderWayAtAStopIsRecordedInterruptedAfterTheRestart() {
    gw.http().post("/automations", new JsonObject("""
        {"id": "long", "triggers": [{"trigger": "time", "at": "03:00"}],
         "actions": [{"command": {"device": "lamp", "set": {"brightness": 10}}}, {"delay": "1h"}]}
        """)).assertJson(201);
    String runId = gw.http().post("/automations/long/trigger", new JsonObject()).assertJson(202).getString("runId");
    await().atMost(WAIT).until(() -> {
      JsonObject r = gw.http().get("/automations/long/runs").assertJson(200).getJsonArray("runs").getJsonObject(0);
      return r.getJsonArray("steps").size() == 1;
    });
    gw.restart();
    gw.awaitOnline("lamp");
    JsonObject r = gw.http().get("/automations/long/runs").assertJson(200).getJsonArray("runs").getJsonObject(0);
    assertEquals(runId, r.getString("runId"));
    assertEquals("interrupted", r.getString("status"), r::encode);
    assertEquals(1, r.getJsonArray("steps").size(), r::encode);
    assertEquals("succeeded", r.getJsonArray("steps").getJsonObject(0).getString("status"));
    // and the rule itself survived, enabled
    assertTrue(gw.http().get("/automations/long").assertJson(200).getBoolean("enabled"));
  }
}
