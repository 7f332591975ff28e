package io.hearth.gateway.e2e;

import static io.hearth.gateway.e2e.GatewayFixture.device;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.config.HistoryConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenes and history through the real gateway (embedded broker, protocol-sim lamps): a scene with
 * one device that never comes online reports that device's failure and the others' success;
 * capture, validation, roles, idempotent activation; the history of what the scene set, with guest
 * access and the API's 400s (docs/scenes.md, docs/history.md).
 */
@Timeout(180)
class ScenesHistoryE2eTest {
  @TempDir
  static Path dir;
  static GatewayFixture gw;
  static Http http;

  @BeforeAll
  static void start() {
    gw = GatewayFixture.builder(dir)
        .simulated(device("lamp-a", "light.dimmable"), device("lamp-b", "light.dimmable"))
        .registeredOnly(device("lamp-off", "light.dimmable")) // no simulator: never online
        .graceMs(0)
        // a number waits history.writeIntervalMs after the last written one (60 s by default; the
        // policy itself is HistoryRecorderTest's): short here, so a change is seen within a tick
        .history(new HistoryConfig(300, Map.of(), 7, 5, 365, 10_000))
        .build().start();
    http = gw.http();
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  @Test
  void sceneWithAnOfflineDeviceReportsItsFailureAndTheRestSucceed() {
    // GIVEN a scene over two simulated lamps and one that never came online
    JsonObject targets = new JsonObject()
        .put("lamp-a", new JsonObject().put("power", true).put("brightness", 40))
        .put("lamp-b", new JsonObject().put("power", true).put("brightness", 70))
        .put("lamp-off", new JsonObject().put("power", true));
    JsonObject scene = http.post("/scenes", new JsonObject().put("id", "evening").put("name", "Evening")
        .put("targets", targets)).assertJson(201);
    assertEquals(40, scene.getJsonObject("targets").getJsonObject("lamp-a").getInteger("brightness"));
    // WHEN it is activated
    JsonObject out = http.post("/scenes/evening/activate", new JsonObject().put("timeoutMs", 3000),
        "Idempotency-Key", "evening-1").assertJson(200);
    // THEN the answer names the failed device and the others succeeded
    assertEquals("partial", out.getString("status"), out::encode);
    Map<String, JsonObject> byDevice = byDevice(out);
    assertEquals("succeeded", byDevice.get("lamp-a").getString("status"));
    assertEquals("succeeded", byDevice.get("lamp-b").getString("status"));
    assertEquals("failed", byDevice.get("lamp-off").getString("status"));
    assertEquals("DEVICE_OFFLINE", byDevice.get("lamp-off").getString("code"), out::encode);
    assertEquals(40, gw.device("lamp-a").getJsonObject("state").getInteger("brightness"));
    // AND a retry with the same key acts on no device again: the same commands answer
    JsonObject again = http.post("/scenes/evening/activate", new JsonObject().put("timeoutMs", 3000),
        "Idempotency-Key", "evening-1").assertJson(200);
    assertEquals(byDevice.get("lamp-a").getString("commandId"), byDevice(again).get("lamp-a").getString("commandId"));
    assertEquals(byDevice.get("lamp-b").getString("commandId"), byDevice(again).get("lamp-b").getString("commandId"));
    // while a new key sends again
    JsonObject fresh = http.post("/scenes/evening/activate", new JsonObject().put("timeoutMs", 3000),
        "Idempotency-Key", "evening-2").assertJson(200);
    assertNotEquals(byDevice.get("lamp-a").getString("commandId"), byDevice(fresh).get("lamp-a").getString("commandId"));
  }

  @Test
  void captureValidationUpdateAndDelete() {
    gw.set("lamp-b", new JsonObject().put("power", false).put("brightness", 12));
    JsonObject captured = http.post("/scenes", new JsonObject().put("id", "snapshot").put("name", "Snapshot")
        .put("capture", new JsonArray().add("lamp-b"))).assertJson(201);
    JsonObject b = captured.getJsonObject("targets").getJsonObject("lamp-b");
    assertEquals(false, b.getBoolean("power"));
    assertEquals(12, b.getInteger("brightness"));

    JsonObject problem = http.post("/scenes", new JsonObject().put("name", "Bad").put("targets", new JsonObject()
        .put("lamp-a", new JsonObject().put("brightness", 500).put("colour", 1))
        .put("ghost", new JsonObject().put("power", true)))).assertProblem(422, "VALIDATION_FAILED");
    List<String> fields = problem.getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getString("property")).sorted().toList();
    assertEquals(List.of("targets.ghost", "targets.lamp-a.brightness", "targets.lamp-a.colour"), fields);

    JsonObject updated = http.put("/scenes/snapshot", new JsonObject().put("name", "Dim").put("targets",
        new JsonObject().put("lamp-b", new JsonObject().put("brightness", 5)))).assertJson(200);
    assertEquals("Dim", updated.getString("name"));
    assertEquals(5, http.get("/scenes/snapshot").assertJson(200).getJsonObject("targets").getJsonObject("lamp-b")
        .getInteger("brightness"));
    assertEquals(204, http.delete("/scenes/snapshot").status());
    http.get("/scenes/snapshot").assertProblem(404, "NOT_FOUND");
    http.post("/scenes/snapshot/activate", new JsonObject()).assertProblem(404, "NOT_FOUND");
  }

  @Test
  void rolesGuestsActivateOnlyScenesOfTheirDevices() {
    http.post("/scenes", new JsonObject().put("id", "a-only").put("name", "A").put("targets",
        new JsonObject().put("lamp-a", new JsonObject().put("power", true)))).assertJson(201);
    http.post("/scenes", new JsonObject().put("id", "a-and-b").put("name", "AB").put("targets", new JsonObject()
        .put("lamp-a", new JsonObject().put("power", true)).put("lamp-b", new JsonObject().put("power", true))))
        .assertJson(201);
    String guest = token("guest", List.of("lamp-a"));
    String member = token("member", List.of());
    try {
      http.token(guest);
      List<String> seen = http.get("/scenes").assertJson(200).getJsonArray("scenes").stream()
          .map(s -> ((JsonObject) s).getString("id")).toList();
      assertTrue(seen.contains("a-only") && !seen.contains("a-and-b"), seen::toString);
      assertEquals("succeeded", http.post("/scenes/a-only/activate", new JsonObject()).assertJson(200)
          .getString("status"));
      http.post("/scenes/a-and-b/activate", new JsonObject()).assertProblem(403, "FORBIDDEN");
      http.post("/scenes", new JsonObject().put("name", "G").put("targets", new JsonObject()
          .put("lamp-a", new JsonObject().put("power", true)))).assertProblem(403, "FORBIDDEN");
      http.delete("/scenes/a-only").assertProblem(403, "FORBIDDEN");
      // history: only of the shared device
      http.get("/devices/lamp-b/history?property=power").assertProblem(404, "DEVICE_NOT_FOUND");
      http.get("/devices/lamp-a/history?property=power").assertJson(200);

      http.token(member);
      http.post("/scenes", new JsonObject().put("id", "by-member").put("name", "M").put("targets", new JsonObject()
          .put("lamp-b", new JsonObject().put("power", false)))).assertJson(201);
      assertEquals(204, http.delete("/scenes/by-member").status());
    } finally {
      http.token(gw.ownerToken());
    }
  }

  @Test
  void historyOfWhatTheDevicesReported() {
    Instant from = Instant.now().minusSeconds(5);
    gw.set("lamp-a", new JsonObject().put("brightness", 63));
    // written at the recorder's next tick once history.writeIntervalMs (300 ms here) has passed
    String q = "/devices/lamp-a/history?property=brightness&from=" + from;
    JsonArray points = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
        .until(() -> http.get(q).assertJson(200).getJsonArray("points"),
            p -> p.stream().anyMatch(x -> ((JsonObject) x).getInteger("value") == 63));
    assertTrue(points.size() >= 1);
    JsonObject buckets = http.get(q + "&step=1h").assertJson(200);
    assertEquals("stats", buckets.getString("agg"));
    assertTrue(buckets.getJsonArray("buckets").getJsonObject(0).getLong("count") >= 1, buckets::encode);
    JsonObject power = http.get("/devices/lamp-a/history?property=power&step=1d").assertJson(200);
    assertEquals("state", power.getString("agg"));

    // the client's mistakes: 400 naming the parameter; an unknown device 404
    http.get("/devices/lamp-a/history?property=nope").assertProblem(400, "MALFORMED_REQUEST");
    http.get("/devices/lamp-a/history?property=brightness&step=0s").assertProblem(400, "MALFORMED_REQUEST");
    http.get("/devices/lamp-a/history?property=brightness&step=10x").assertProblem(400, "MALFORMED_REQUEST");
    http.get("/devices/lamp-a/history?property=brightness&from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z")
        .assertProblem(400, "MALFORMED_REQUEST");
    http.get("/devices/lamp-a/history?property=brightness&from=yesterday").assertProblem(400, "MALFORMED_REQUEST");
    http.get("/devices/lamp-a/history?property=power&step=1h&agg=delta").assertProblem(400, "MALFORMED_REQUEST");
    http.get("/devices/lamp-a/history?property=brightness&limit=100000000").assertProblem(400, "MALFORMED_REQUEST");
    http.get("/devices/lamp-a/history?property=brightness&cursor=zz").assertProblem(400, "MALFORMED_REQUEST");
    http.get("/devices/lamp-a/history").assertProblem(400, "MALFORMED_REQUEST");
    http.get("/devices/nobody/history?property=power").assertProblem(404, "DEVICE_NOT_FOUND");
  }

  private static Map<String, JsonObject> byDevice(JsonObject activation) {
    return activation.getJsonArray("devices").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(d -> d.getString("device"), d -> d));
  }

  private static String token(String role, List<String> devices) {
    JsonObject invite = new JsonObject().put("role", role);
    if (!devices.isEmpty()) {
      invite.put("devices", new JsonArray(devices));
    }
    String code = http.post("/users/invites", invite).assertJson(201).getString("code");
    http.token(null);
    try {
      return http.post("/auth/pair", new JsonObject().put("code", code).put("client", role)).assertJson(200)
          .getString("accessToken");
    } finally {
      http.token(gw.ownerToken());
    }
  }
}
