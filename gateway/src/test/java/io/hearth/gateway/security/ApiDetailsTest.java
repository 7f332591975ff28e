package io.hearth.gateway.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 3: details of the app API on the whole gateway (issue 14, small things): {@code Location} on a
 * registration, the message for a taken device id, pairing codes as people type them, one
 * timestamp format on REST and the WebSocket, and repeated JSON keys refused on the WebSocket.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiDetailsTest {
  /** ISO-8601 UTC with exactly three fraction digits. */
  private static final Pattern WIRE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

  @TempDir
  static Path dir;

  private TestGateway gw;
  private String owner;

  @BeforeAll
  void start() throws Exception {
    gw = TestGateway.start(dir.resolve("data"), false);
    // the pairing code TEST-PAIR-1234 typed in lower case, with spaces for dashes
    owner = gw.pair("  test pair 1234 ", "owner").getString("accessToken");
  }

  @AfterAll
  void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
  }

  @Test
  void registrationAnswersWithLocationAndATakenIdIsNamed() throws Exception {
    // WHEN a device is registered
    HttpResponse<Buffer> created = gw.call(HttpMethod.POST, "/devices", owner, SecurityMatrixTest.coapDevice("porch"));
    // THEN 201 with where it now lives, and that address answers
    assertEquals(201, created.statusCode(), created.bodyAsString());
    assertEquals("/api/v1/devices/porch", created.getHeader("Location"));
    assertEquals(200, gw.call(HttpMethod.GET, "/devices/porch", owner, null).statusCode());
    // WHEN the same id is registered again
    HttpResponse<Buffer> again = gw.call(HttpMethod.POST, "/devices", owner, SecurityMatrixTest.coapDevice("porch"));
    // THEN the problem says so in plain words, on the id
    assertEquals(422, again.statusCode());
    JsonObject problem = again.bodyAsJsonObject();
    assertEquals("device id 'porch' is already registered", problem.getString("detail"));
    JsonObject error = problem.getJsonArray("errors").getJsonObject(0);
    assertEquals("id", error.getString("property"));
    assertEquals("device id 'porch' is already registered", error.getString("message"));
  }

  @Test
  void inviteCodesWorkWithoutDashesAndInLowerCase() throws Exception {
    // GIVEN an invite code (XXXX-XXXX-XXXX)
    String code = gw.invite(owner, "member", List.of());
    assertTrue(code.matches("[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}"), code);
    // WHEN it is typed without dashes, in lower case
    JsonObject tokens = gw.pair(code.replace("-", "").toLowerCase(), "member phone");
    // THEN it pairs
    assertTrue(tokens.getString("accessToken").length() > 20);
  }

  @Test
  void everyTimeIsIsoUtcWithMilliseconds() throws Exception {
    // GIVEN a device report, a command and an invite
    MqttClient device = gw.connectDevice(TestGateway.Y, TestGateway.Y_PASSWORD, "details-lamp-y");
    try (WsClient ws = WsClient.open(gw, owner, null)) {
      ws.ok(new JsonObject().put("type", "subscribe").put("devices", new JsonArray().add(TestGateway.Y)));
      device.publish("hearth/lamp-y/state", new MqttMessage("{\"power\":true,\"brightness\":7}".getBytes(
          StandardCharsets.UTF_8)));
      JsonObject event = ws.awaitMessage(m -> "event".equals(m.getString("type")) && m.getString("ts") != null);
      await().atMost(Duration.ofSeconds(10)).until(() -> gw.call(HttpMethod.GET, "/devices/lamp-y", owner, null)
          .bodyAsJsonObject().getString("lastSeen") != null);
      JsonObject view = gw.call(HttpMethod.GET, "/devices/lamp-y", owner, null).bodyAsJsonObject();
      JsonObject command = gw.call(HttpMethod.POST, "/devices/lamp-y/commands", owner, SecurityMatrixTest.command())
          .bodyAsJsonObject();
      String invite = gw.call(HttpMethod.POST, "/users/invites", owner, new JsonObject().put("role", "member"))
          .bodyAsJsonObject().getString("expiresAt");
      // THEN every time is in the one wire form
      assertWire(event.getString("ts"), "WebSocket event ts");
      assertWire(view.getString("lastSeen"), "lastSeen");
      view.getJsonObject("updatedAt").forEach(e -> assertWire((String) e.getValue(), "updatedAt." + e.getKey()));
      assertEquals(2, view.getJsonObject("updatedAt").size(), view.encode());
      JsonObject record = gw.call(HttpMethod.GET, "/devices/lamp-y/commands/" + command.getString("commandId"),
          owner, null).bodyAsJsonObject();
      assertWire(record.getString("createdAt"), "createdAt " + record.encode());
      assertWire(invite, "invite expiresAt");
    } finally {
      device.disconnect();
      device.close(true);
    }
  }

  @Test
  void repeatedKeyInAWebSocketMessageIsRefused() throws Exception {
    try (WsClient ws = WsClient.open(gw, owner, null)) {
      // WHEN a message repeats a key
      ws.sendText("{\"type\":\"ping\",\"id\":1,\"type\":\"subscribe\"}");
      // THEN it is answered MALFORMED_REQUEST naming the key, and nothing of it is done
      JsonObject error = ws.awaitMessage(m -> m.getJsonObject("error") != null);
      assertEquals("MALFORMED_REQUEST", WsClient.code(error));
      assertTrue(error.getJsonObject("error").getString("message").contains("\"type\" appears twice"), error.encode());
      assertTrue(ws.received().stream().noneMatch(m -> "pong".equals(m.getString("type"))), ws.received().toString());
    }
  }

  @Test
  void readmePairingLineSaysWhenPairingFails() throws Exception {
    // GIVEN the README's pairing lines, pointed at this gateway and at a file holding an invite code
    List<String> readme = java.nio.file.Files.readAllLines(Path.of("../README.md"));
    int first = readme.indexOf(readme.stream().filter(l -> l.startsWith("PAIRED=$(curl")).findFirst().orElseThrow());
    Path codeFile = dir.resolve("code");
    java.nio.file.Files.writeString(codeFile, gw.invite(owner, "member", List.of()));
    String lines = String.join("\n", readme.subList(first, first + 4))
        .replace("localhost:8080", "127.0.0.1:" + gw.httpPort()).replace("data/pairing-code", codeFile.toString())
        + "\necho \"ACCESS=$ACCESS\"\n";
    // WHEN they run with a valid code, THEN they say paired and hold a token
    String[] ok = bash(lines);
    assertTrue(ok[0].contains("paired") && ok[0].matches("(?s).*ACCESS=[\\w-]+\\.[\\w-]+\\.[\\w-]+.*"), ok[0] + ok[1]);
    // WHEN they run again (the code is used up), THEN the failure shows, with curl's status, and no token
    String[] failed = bash(lines);
    assertTrue(failed[1].contains("pairing failed") && failed[1].contains("401"), failed[0] + failed[1]);
    assertTrue(failed[0].contains("ACCESS=\n") && !failed[0].contains("paired"), failed[0]);
  }

  /** Runs a bash script; returns its stdout and stderr. */
  private static String[] bash(String script) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", script).start();
    var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the README lines did not finish");
    return new String[] {out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS)};
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void assertWire(String time, String what) {
    assertTrue(time != null && WIRE_TIME.matcher(time).matches(), what + ": " + time);
  }
}
