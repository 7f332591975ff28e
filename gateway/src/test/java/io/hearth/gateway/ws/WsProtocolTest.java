package io.hearth.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.events.EventLog;
import io.hearth.sim.SimFaults;
import io.hearth.gateway.config.GatewayConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app WebSocket end to end: the real gateway and simulated lamps, the JDK's WebSocket client
 * (not ours) and Vert.x's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WsProtocolTest {
  @TempDir
  static Path dir;
  static WsGateway gw;
  /** Distinct brightness values across tests (each change must differ from the last). */
  static final AtomicInteger brightness = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    gw = new WsGateway(dir, 3, WsOptions.DEFAULTS, EventLog.Limits.DEFAULTS).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
  }

  /** Sets a lamp's brightness to a value different from its current one; returns it. */
  static int change(String lamp) {
    int current = ((Number) gw.sim.device(lamp).state().getOrDefault("brightness", -1)).intValue();
    int next = brightness.incrementAndGet() % 101;
    if (next == current) {
      next = brightness.incrementAndGet() % 101;
    }
    gw.sim.device(lamp).setState(Map.of("brightness", next));
    return next;
  }

  static boolean stateOf(JsonObject e, String lamp) {
    return "state".equals(e.getString("kind")) && lamp.equals(e.getString("device"));
  }

  @Test
  void aStateChangeArrivesAsAnEvent() throws Exception {
    try (JdkWsProbe c = new JdkWsProbe(gw.wsUrl())) {
      // GIVEN a subscription to everything
      JsonObject sub = c.ok(WsProbe.subscribe());
      assertTrue(sub.getLong("seq") >= 0);
      // WHEN the lamp changes
      int value = change("lamp-1");
      // THEN its state event arrives, in the shape of docs/websocket.md
      JsonObject e = c.awaitEvents(m -> stateOf(m, "lamp-1")
          && Integer.valueOf(value).equals(m.getJsonObject("data").getJsonObject("changes").getInteger("brightness")), 1)
          .get(0);
      assertEquals(sub.getInteger("subscription"), e.getInteger("subscription"));
      assertTrue(e.getLong("seq") > sub.getLong("seq"));
      assertTrue(e.getJsonObject("data").getLong("version") > 0);
      assertTrue(e.getString("ts").endsWith("Z"));
    }
  }

  @Test
  void resumeWithSinceGetsExactlyTheMissedEventsOnceInOrder() throws Exception {
    List<Integer> values = new ArrayList<>();
    JsonObject filter = WsProbe.subscribe().put("devices", new JsonArray().add("lamp-2"))
        .put("kinds", new JsonArray().add("state"));
    try (VertxWsProbe witness = new VertxWsProbe(gw.wsUrl())) {
      witness.ok(filter);
      long since;
      try (JdkWsProbe phone = new JdkWsProbe(gw.wsUrl())) {
        since = phone.ok(filter).getLong("seq");
        phone.abort(); // the phone goes to the background: no close handshake
      }
      // WHILE it is away, 100 changes happen (the witness sees them live)
      for (int i = 0; i < 100; i++) {
        values.add(change("lamp-2"));
      }
      witness.awaitEvents(m -> stateOf(m, "lamp-2"), 100);
      // WHEN it comes back with since
      try (JdkWsProbe phone = new JdkWsProbe(gw.wsUrl())) {
        JsonObject sub = phone.ok(filter.copy().put("since", since));
        assertNull(sub.getBoolean("resync"));
        int marker = change("lamp-2");
        // THEN it receives exactly those 100, in order, once each, then live ones
        List<JsonObject> got = phone.awaitEvents(m -> stateOf(m, "lamp-2"), 101);
        assertEquals(101, got.size(), "no duplicates");
        List<Integer> seen = got.stream()
            .map(m -> m.getJsonObject("data").getJsonObject("changes").getInteger("brightness")).toList();
        assertEquals(values, seen.subList(0, 100));
        assertEquals(marker, seen.get(100));
        for (int i = 1; i < got.size(); i++) {
          assertTrue(got.get(i).getLong("seq") > got.get(i - 1).getLong("seq"));
        }
        assertEquals(witness.awaitEvents(m -> stateOf(m, "lamp-2"), 101).stream().map(m -> m.getLong("seq")).toList(),
            got.stream().map(m -> m.getLong("seq")).toList());
      }
    }
  }

  @Test
  void resumeWhileEventsKeepComingJoinsLiveWithoutGapOrDuplicate() throws Exception {
    JsonObject filter = WsProbe.subscribe().put("devices", new JsonArray().add("lamp-3"))
        .put("kinds", new JsonArray().add("state"));
    try (VertxWsProbe witness = new VertxWsProbe(gw.wsUrl())) {
      long since = witness.ok(filter).getLong("seq");
      for (int i = 0; i < 50; i++) {
        change("lamp-3");
      }
      // WHEN a client resumes from the same point while 150 more changes are being made
      Thread producer = new Thread(() -> {
        for (int i = 0; i < 150; i++) {
          change("lamp-3");
        }
      });
      producer.start();
      try (JdkWsProbe phone = new JdkWsProbe(gw.wsUrl())) {
        phone.ok(filter.copy().put("since", since));
        producer.join(60_000);
        // THEN it sees exactly the witness's first 200 events, in the same order (a later state
        // event of the lamp may reach one probe before the other is read: only the 200 are compared)
        List<Long> expected = witness.awaitEvents(m -> stateOf(m, "lamp-3"), 200).stream()
            .map(m -> m.getLong("seq")).limit(200).toList();
        List<JsonObject> phoneEvents = phone.awaitEvents(m -> stateOf(m, "lamp-3"), 200);
        List<Long> got = phoneEvents.stream().map(m -> m.getLong("seq")).limit(200).toList();
        assertEquals(200, expected.size());
        assertEquals(expected, got, () -> "beyond the 200: " + phoneEvents.subList(200, phoneEvents.size()));
      }
    }
  }

  @Test
  void filtersDeliverNothingOutsideThem() throws Exception {
    try (VertxWsProbe c = new VertxWsProbe(gw.wsUrl())) {
      c.ok(WsProbe.subscribe().put("devices", new JsonArray().add("lamp-1")).put("kinds", new JsonArray().add("state")));
      // WHEN another lamp changes, and this lamp gets a command (command events), then this lamp changes
      change("lamp-2");
      c.ok(new JsonObject().put("type", "command").put("device", "lamp-1").put("set",
          new JsonObject().put("power", !Boolean.TRUE.equals(gw.sim.device("lamp-1").state().get("power")))));
      int marker = change("lamp-1");
      c.awaitEvents(m -> Integer.valueOf(marker)
          .equals(m.getJsonObject("data").getJsonObject("changes").getInteger("brightness")), 1);
      // THEN only lamp-1 state events arrived
      assertFalse(c.events().isEmpty());
      assertTrue(c.events().stream().allMatch(m -> stateOf(m, "lamp-1")), c.events().toString());
    }
  }

  @Test
  void aCommandEndsSucceededWithItsEvents() throws Exception {
    try (JdkWsProbe c = new JdkWsProbe(gw.wsUrl())) {
      c.ok(WsProbe.subscribe().put("kinds", new JsonArray().add("command")));
      JsonObject r = c.ok(new JsonObject().put("type", "command").put("device", "lamp-1")
          .put("set", new JsonObject().put("brightness", change("lamp-1") == 42 ? 43 : 42)));
      assertEquals("pending", r.getString("status"));
      String cid = r.getString("commandId");
      List<JsonObject> events = c.awaitEvents(m -> cid.equals(m.getJsonObject("data").getString("commandId"))
          && "succeeded".equals(m.getJsonObject("data").getString("status")), 1);
      List<String> statuses = c.events(m -> cid.equals(m.getJsonObject("data").getString("commandId"))).stream()
          .map(m -> m.getJsonObject("data").getString("status")).toList();
      assertEquals(List.of("sent", "succeeded"), statuses);
      assertEquals("lamp-1", events.get(0).getString("device"));
    }
  }

  @Test
  void aNextWakeCommandTakesItsOptionsAndGoesOutAtOnceToAnOnlineLamp() throws Exception {
    try (JdkWsProbe c = new JdkWsProbe(gw.wsUrl())) {
      c.ok(WsProbe.subscribe().put("kinds", new JsonArray().add("command")));
      JsonObject r = c.ok(new JsonObject().put("type", "command").put("device", "lamp-2").put("deliverWhen", "nextWake")
          .put("expiresInMs", 60000).put("set", new JsonObject().put("brightness", change("lamp-2") == 42 ? 43 : 42)));
      String cid = r.getString("commandId");
      c.awaitEvents(m -> cid.equals(m.getJsonObject("data").getString("commandId"))
          && "succeeded".equals(m.getJsonObject("data").getString("status")), 1);
      assertEquals("VALIDATION_FAILED", error(c.request(new JsonObject().put("type", "command").put("device", "lamp-2")
          .put("deliverWhen", "soon").put("set", new JsonObject().put("power", true)))));
      assertEquals("VALIDATION_FAILED", error(c.request(new JsonObject().put("type", "command").put("device", "lamp-2")
          .put("expiresInMs", 1000).put("set", new JsonObject().put("power", true)))));
      assertEquals("VALIDATION_FAILED", error(c.request(new JsonObject().put("type", "command").put("device", "lamp-2")
          .put("deliverWhen", "nextWake").put("expiresInMs", "1h").put("set", new JsonObject().put("power", true)))));
    }
  }

  @Test
  void aCommandToASilentDeviceTimesOut() throws Exception {
    gw.sim.device("lamp-3").setFaults(SimFaults.NONE.withDropReplies(true));
    try (VertxWsProbe c = new VertxWsProbe(gw.wsUrl())) {
      c.ok(WsProbe.subscribe().put("devices", new JsonArray().add("lamp-3")).put("kinds", new JsonArray().add("command")));
      JsonObject r = c.ok(new JsonObject().put("type", "command").put("device", "lamp-3").put("timeoutMs", 500)
          .put("action", "blink").put("input", new JsonObject().put("times", 1)));
      String cid = r.getString("commandId");
      c.awaitEvents(m -> "timed_out".equals(m.getJsonObject("data").getString("status")), 1);
      assertEquals(List.of("sent", "timed_out"), c.events(m -> cid.equals(m.getJsonObject("data").getString("commandId")))
          .stream().map(m -> m.getJsonObject("data").getString("status")).toList());
    } finally {
      gw.sim.device("lamp-3").setFaults(SimFaults.NONE);
    }
  }

  @Test
  void aQueuedSetSupersededByANewerOneEndsSupersededInItsEvent() throws Exception {
    // GIVEN a lamp that never replies, with as many commands in flight as a device may have
    gw.sim.device("lamp-3").setFaults(SimFaults.NONE.withDropReplies(true));
    try (VertxWsProbe c = new VertxWsProbe(gw.wsUrl())) {
      c.ok(WsProbe.subscribe().put("devices", new JsonArray().add("lamp-3")).put("kinds", new JsonArray().add("command")));
      int cap = GatewayConfig.CommandFlow.DEFAULTS.maxInFlightPerDevice();
      for (int i = 0; i < cap; i++) {
        c.ok(new JsonObject().put("type", "command").put("device", "lamp-3").put("timeoutMs", 3000)
            .put("action", "blink").put("input", new JsonObject().put("times", 1)));
      }
      c.awaitEvents(m -> "sent".equals(m.getJsonObject("data").getString("status")), cap);
      // WHEN two sets of brightness follow: the first waits for a place, the second replaces it
      String older = c.ok(new JsonObject().put("type", "command").put("device", "lamp-3")
          .put("set", new JsonObject().put("brightness", 10))).getString("commandId");
      String newer = c.ok(new JsonObject().put("type", "command").put("device", "lamp-3")
          .put("set", new JsonObject().put("brightness", 20))).getString("commandId");
      // THEN the older one's only event is superseded, naming the newer one
      JsonObject event = c.awaitEvents(m -> older.equals(m.getJsonObject("data").getString("commandId")), 1).get(0);
      assertEquals("superseded", event.getJsonObject("data").getString("status"));
      assertEquals(newer, event.getJsonObject("data").getString("supersededBy"));
      assertEquals(List.of("superseded"), c.events(m -> older.equals(m.getJsonObject("data").getString("commandId")))
          .stream().map(m -> m.getJsonObject("data").getString("status")).toList());
    } finally {
      gw.sim.device("lamp-3").setFaults(SimFaults.NONE);
    }
  }

  @Test
  void malformedMessagesGetErrorResultsAndTheConnectionLives() throws Exception {
    try (JdkWsProbe c = new JdkWsProbe(gw.wsUrl())) {
      c.sendText("not json {");
      c.sendText("[1,2]");
      c.sendText("{\"type\":\"ping\"}");
      c.awaitMessage(m -> c.received().size() >= 3);
      for (JsonObject m : c.received().subList(0, 3)) {
        assertEquals("result", m.getString("type"));
        assertFalse(m.getBoolean("ok"));
        assertNull(m.getValue("id"));
        assertEquals("MALFORMED_REQUEST", m.getJsonObject("error").getString("code"));
      }
      assertEquals("MALFORMED_REQUEST", error(c.request(new JsonObject().put("type", "bogus"))));
      assertEquals("DEVICE_NOT_FOUND", error(c.request(new JsonObject().put("type", "command").put("device", "nope")
          .put("set", new JsonObject().put("power", true)))));
      assertEquals("DEVICE_NOT_FOUND", error(c.request(WsProbe.subscribe().put("devices", new JsonArray().add("nope")))));
      assertEquals("VALIDATION_FAILED", error(c.request(WsProbe.subscribe().put("kinds", new JsonArray().add("x")))));
      assertEquals("VALIDATION_FAILED", error(c.request(new JsonObject().put("type", "command").put("device", "lamp-1")
          .put("set", new JsonObject().put("brightness", 101)))));
      assertEquals("VALIDATION_FAILED", error(c.request(new JsonObject().put("type", "unsubscribe")
          .put("subscription", 99))));
      // the connection still works
      assertEquals("pong", c.request(new JsonObject().put("type", "ping")).getString("type"));
    }
  }

  private static String error(JsonObject answer) {
    assertEquals("result", answer.getString("type"));
    assertFalse(answer.getBoolean("ok"));
    return answer.getJsonObject("error").getString("code");
  }

  @Test
  void aHugeMessageIsRefusedByClosingTheConnection() throws Exception {
    try (VertxWsProbe c = new VertxWsProbe(gw.wsUrl())) {
      c.ws.writeTextMessage("{\"id\":1,\"type\":\"ping\",\"pad\":\"" + "x".repeat(200_000) + "\"}");
      assertEquals(1009, c.closed.get(20, TimeUnit.SECONDS));
    }
  }

  @Test
  void aMessageOfManyFramesOverTheLimitIsRefused() throws Exception {
    try (VertxWsProbe c = new VertxWsProbe(gw.wsUrl())) {
      String frame = "x".repeat(60_000);
      c.ws.writeFrame(io.vertx.core.http.WebSocketFrame.textFrame("{\"pad\":\"" + frame, false));
      c.ws.writeFrame(io.vertx.core.http.WebSocketFrame.continuationFrame(io.vertx.core.buffer.Buffer.buffer(frame), false));
      assertEquals(1009, c.closed.get(20, TimeUnit.SECONDS));
    }
  }

  @Test
  void pingPongAuthAndStates() throws Exception {
    String token = WsProbe.bearer;
    // a connection without a token at the upgrade must authenticate first; a bad token is refused and closed
    WsProbe.bearer = null;
    try (JdkWsProbe stranger = new JdkWsProbe(gw.wsUrl())) {
      stranger.sendText("{\"type\":\"auth\",\"token\":\"forged\"}");
      stranger.awaitMessage(m -> "auth_invalid".equals(m.getString("type")));
      assertTrue(stranger.closed.get(10, TimeUnit.SECONDS) > 0);
    } finally {
      WsProbe.bearer = token;
    }
    try (JdkWsProbe c = new JdkWsProbe(gw.wsUrl())) {
      c.sendText(new JsonObject().put("type", "auth").put("token", token).encode());
      c.awaitMessage(m -> "auth_ok".equals(m.getString("type")));
      JsonObject pong = c.request(new JsonObject().put("type", "ping"));
      assertEquals("pong", pong.getString("type"));
      JsonObject states = c.ok(new JsonObject().put("type", "get_states"));
      assertEquals(3, states.getJsonArray("devices").size());
      JsonObject lamp = states.getJsonArray("devices").getJsonObject(0);
      assertEquals("lamp-1", lamp.getString("id"));
      assertTrue(lamp.containsKey("state") && lamp.containsKey("version") && lamp.containsKey("online"));
      assertTrue(states.getLong("seq") >= 0);
    }
  }

  @Test
  void theRestApiStillAnswersAndAPlainGetOfTheSocketPathIsAProblem() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> devices = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gw.httpPort() + "/api/v1/devices"))
        .header("Authorization", "Bearer " + WsProbe.bearer).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, devices.statusCode());
    HttpResponse<String> plain = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gw.httpPort() + WsEndpoint.PATH)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, plain.statusCode());
    assertEquals("application/problem+json", plain.headers().firstValue("Content-Type").orElse(null));
    JsonObject problem = new JsonObject(plain.body());
    assertEquals("MALFORMED_REQUEST", problem.getString("code"));
    assertEquals("a WebSocket upgrade is required here", problem.getString("detail"));
  }

  @Test
  void anUpgradeWithABadTokenIsAProblem() throws Exception {
    // GIVEN an upgrade request whose bearer token is forged
    try (Socket socket = new Socket("127.0.0.1", gw.httpPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET " + WsEndpoint.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer forged\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      // WHEN the gateway answers THEN it is a 401 problem, not an upgrade
      DataInputStream in = new DataInputStream(socket.getInputStream());
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        head.append((char) in.readUnsignedByte());
      }
      assertTrue(head.toString().startsWith("HTTP/1.1 401"), head.toString());
      Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
      assertTrue(length.find(), head.toString());
      byte[] body = new byte[Integer.parseInt(length.group(1))];
      in.readFully(body);
      JsonObject problem = new JsonObject(new String(body, StandardCharsets.UTF_8));
      assertEquals("UNAUTHORIZED", problem.getString("code"));
      assertEquals("the bearer token is not valid", problem.getString("detail"));
    }
  }
}
