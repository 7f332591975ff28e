package io.hearth.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.Application;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.relay.config.RelayConfigLoader;
import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimOptions;
import io.hearth.sim.Simulator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end (docs/relay.md): a real gateway with a simulated lamp reachable ONLY through its
 * outbound tunnel (the app client is given the relay's port alone), a real relay with TLS (its
 * dev certificate) and a local fake of the WeChat API. WeChat login → bind by an invite code →
 * devices → command with wait → live events over the relayed WebSocket → resume with {@code since}
 * after the socket dropped → alerts as subscribe messages → hub isolation → hub offline → 503.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RelayE2eTest {
  private static final String PAIRING_CODE = "RELAY-E2E-CODE";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SESSION = "X-Hearth-Relay-Session";

  @TempDir
  static Path dir;
  private Vertx vertx;
  private FakeWeChat wechat;
  private RelayServer relay;
  private String relayDeployment;
  private Application hub;
  private Simulator sim;
  private AppClient app;
  private AppClient lan;
  private String hubId;
  private String ownerToken;
  private int hubHttpPort;
  // what the ordered steps pass on
  private final ch.qos.logback.classic.Logger hearthLogger =
      (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.hearth");
  private final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
      new ch.qos.logback.core.read.ListAppender<>();
  private String session;
  private String access;
  private long lastSeq;

  @BeforeAll
  void start() throws Exception {
    logs.start();
    hearthLogger.addAppender(logs);
    hearthLogger.setLevel(ch.qos.logback.classic.Level.DEBUG);
    vertx = Vertx.vertx();
    wechat = new FakeWeChat(vertx);
    relay = new RelayServer(new RelayConfigLoader(relayEnv(0)).load(null));
    relayDeployment = AppClient.sync(vertx.deployVerticle(relay));
    app = new AppClient(vertx, relay.port(), relay.devCertificatePath());

    int brokerPort = freePort();
    Path devices = dir.resolve("devices.yaml");
    Files.writeString(devices, new JsonObject().put("devices", new JsonArray().add(new JsonObject()
        .put("id", "lamp").put("name", "Lamp").put("room", "living").put("profile", "light.dimmable")
        .put("binding", new JsonObject().put("protocol", "mqtt").put("convention", "hearth")
            .put("credentials", new JsonObject().put("username", "lamp").put("password", "pw-lamp-3f9a2c"))))).encode());
    GatewayConfig gw = new GatewayConfig(
        new GatewayConfig.Http("127.0.0.1", 0, new GatewayConfig.Tls(false, null, null), 65536),
        new GatewayConfig.Mqtt(new GatewayConfig.Embedded(true, "127.0.0.1", brokerPort, false),
            "tcp://127.0.0.1:" + brokerPort, null, null, null),
        new GatewayConfig.Coap("127.0.0.1", 0), dir.resolve("hub"), PAIRING_CODE, null, devices,
        new GatewayConfig.Commands(5000, 60000, 1500))
        .withRelay(new GatewayConfig.Relay(true, "https://localhost:" + relay.port(), relay.devCertificatePath(),
            100, 1000, 64, 4 * 1024 * 1024, 600, 60000));
    hub = Application.builder(gw).build();
    AppClient.sync(hub.start());
    hubHttpPort = hub.httpPort();
    sim = Simulator.start(SimOptions.defaults("tcp://127.0.0.1:" + brokerPort).withDefaultReportIntervalMs(3_600_000)
        .withStartTimeout(Duration.ofSeconds(30)), List.of(SimDeviceSpec.mqtt("lamp", "light.dimmable")
        .withCredentials("lamp", "pw-lamp-3f9a2c").withReportIntervalMs(3_600_000)));
  }

  @AfterAll
  void stop() {
    hearthLogger.detachAppender(logs);
    if (sim != null) {
      sim.close();
    }
    if (hub != null) {
      AppClient.sync(hub.stop());
    }
    if (vertx != null) {
      AppClient.sync(vertx.close());
    }
  }

  @Test
  @Order(1)
  void theOwnerLinksTheHubOnTheLan() {
    // GIVEN the owner's phone at home, paired on the LAN (the only use of the hub's own port)
    AppClient.Answer pair = lan(HttpMethod.POST, "/api/v1/auth/pair",
        new JsonObject().put("code", PAIRING_CODE).put("client", "owner at home"), null);
    ownerToken = pair.expect(200).getString("accessToken");
    // WHEN it asks for a link code
    JsonObject link = lan(HttpMethod.POST, "/api/v1/relay/link", null, ownerToken).expect(200);
    hubId = link.getString("hubId");
    assertNotNull(link.getString("linkCode"));
    // THEN the hub's tunnel links and the relay holds only the key's hash
    await().atMost(WAIT).until(() -> relay.hubs().isOnline(hubId));
    await().atMost(WAIT).until(() -> new JsonObject(Files.readString(dir.resolve("hub").resolve("relay.json")))
        .getString("hubKey") != null);
    String key = new JsonObject(readString(dir.resolve("hub").resolve("relay.json"))).getString("hubKey");
    assertFalse(new String(readBytes(dir.resolve("relay").resolve("relay.db")), java.nio.charset.StandardCharsets.ISO_8859_1)
        .contains(key), "the relay's store must not hold the hub key itself");
  }

  @Test
  @Order(2)
  void weChatLoginErrorsHaveTheirOwnCodes() {
    app.call(HttpMethod.POST, "/relay/v1/auth/wechat", new JsonObject().put("code", "nope"), Map.of())
        .problem(401, "WECHAT_CODE_INVALID");
    app.call(HttpMethod.POST, "/relay/v1/auth/wechat", new JsonObject().put("code", "limited"), Map.of())
        .problem(429, "WECHAT_RATE_LIMITED");
    app.call(HttpMethod.POST, "/relay/v1/auth/wechat", new JsonObject().put("code", "busy"), Map.of())
        .problem(503, "WECHAT_BUSY");
    app.call(HttpMethod.POST, "/relay/v1/auth/wechat", new JsonObject(), Map.of()).problem(422, "VALIDATION_FAILED");
    app.call(HttpMethod.GET, "/relay/v1/homes", null, Map.of()).problem(401, "RELAY_SESSION_INVALID");
    app.call(HttpMethod.GET, "/relay/v1/homes", null, Map.of(SESSION, "forged")).problem(401, "RELAY_SESSION_INVALID");
  }

  @Test
  @Order(3)
  void loginThenBindByInviteCode() {
    // GIVEN a WeChat user with no home yet
    JsonObject login = app.call(HttpMethod.POST, "/relay/v1/auth/wechat",
        new JsonObject().put("code", wechat.code("code-alice", "o-alice")), Map.of()).expect(200);
    session = login.getString("sessionToken");
    assertTrue(login.getInteger("expiresInSec") > 0);
    assertEquals(new JsonArray(), login.getJsonArray("homes"));
    assertNull(login.getValue("session_key"), "never the WeChat session key");
    assertFalse(login.encode().contains("SESSION-KEY"), login.encode());
    // a login code works once (WeChat's 40163)
    app.call(HttpMethod.POST, "/relay/v1/auth/wechat", new JsonObject().put("code", "code-alice"), Map.of())
        .problem(401, "WECHAT_CODE_INVALID");
    // not bound yet: the hub's API is closed to this user
    app.call(HttpMethod.GET, "/homes/" + hubId + "/api/v1/devices", null, Map.of(SESSION, session))
        .problem(403, "FORBIDDEN");
    // WHEN the owner's invite code is entered in the mini-program: a bad one is the hub's own 401
    String invite = lan(HttpMethod.POST, "/api/v1/users/invites", new JsonObject().put("role", "member"), ownerToken)
        .expect(201).getString("code");
    app.call(HttpMethod.POST, "/relay/v1/homes/bind", new JsonObject().put("hubId", hubId).put("code", "WRONG-CODE"),
        Map.of(SESSION, session)).problem(401, "UNAUTHORIZED");
    JsonObject bound = app.call(HttpMethod.POST, "/relay/v1/homes/bind",
        new JsonObject().put("hubId", hubId).put("code", invite).put("name", "Home"), Map.of(SESSION, session))
        .expect(200);
    // THEN the hub's pair answer comes back unchanged, and the home is listed online
    assertEquals(hubId, bound.getString("hubId"));
    access = bound.getJsonObject("pair").getString("accessToken");
    assertEquals("member", bound.getJsonObject("pair").getJsonObject("user").getString("role"));
    JsonArray homes = app.call(HttpMethod.GET, "/relay/v1/homes", null, Map.of(SESSION, session)).expect(200)
        .getJsonArray("homes");
    assertEquals(new JsonObject().put("hubId", hubId).put("name", "Home").put("online", true), homes.getJsonObject(0));
  }

  @Test
  @Order(4)
  void devicesAndACommandWithWaitThroughTheRelay() {
    Map<String, String> h = Map.of(SESSION, session, "Authorization", "Bearer " + access);
    await().atMost(WAIT).until(() -> app.call(HttpMethod.GET, "/homes/" + hubId + "/api/v1/devices/lamp", null, h)
        .json().getBoolean("online", false));
    JsonArray devices = app.call(HttpMethod.GET, "/homes/" + hubId + "/api/v1/devices", null, h).expect(200)
        .getJsonArray("devices");
    assertEquals("lamp", devices.getJsonObject(0).getString("id"));
    JsonObject done = app.call(HttpMethod.POST, "/homes/" + hubId + "/api/v1/devices/lamp/commands",
        new JsonObject().put("set", new JsonObject().put("power", true).put("brightness", 40)), h).expect(200);
    assertEquals("succeeded", done.getString("status"));
    assertEquals(40, done.getJsonObject("state").getInteger("brightness"));
    // the hub stays the authority: its own token check and validation, problem+json passed through
    app.call(HttpMethod.GET, "/homes/" + hubId + "/api/v1/devices", null, Map.of(SESSION, session))
        .problem(401, "UNAUTHORIZED");
    app.call(HttpMethod.POST, "/homes/" + hubId + "/api/v1/devices/lamp/commands",
        new JsonObject().put("set", new JsonObject().put("brightness", 400)), h).problem(422, "VALIDATION_FAILED");
    app.call(HttpMethod.POST, "/homes/" + hubId + "/api/v1/users/invites", new JsonObject().put("role", "member"), h)
        .problem(403, "FORBIDDEN"); // a member may not invite: the hub's roles apply
  }

  @Test
  @Order(5)
  void liveEventsOverTheRelayedSocketThenResumeWithSince() {
    Map<String, String> h = Map.of(SESSION, session, "Authorization", "Bearer " + access);
    String ws = "/homes/" + hubId + "/api/v1/ws";
    // GIVEN a relayed socket subscribed from the states' seq
    AppClient.Socket s = app.socket(ws, h);
    long seq = s.request(new JsonObject().put("type", "get_states")).getJsonObject("result").getLong("seq");
    assertTrue(s.request(new JsonObject().put("type", "subscribe").put("since", seq)).getBoolean("ok"));
    // WHEN a command goes through the socket
    JsonObject r = s.request(new JsonObject().put("type", "command").put("device", "lamp")
        .put("set", new JsonObject().put("brightness", 55)));
    String cid = r.getJsonObject("result").getString("commandId");
    // THEN its events arrive live
    JsonObject state = s.next(m -> "event".equals(m.getString("type")) && "state".equals(m.getString("kind")));
    assertEquals(55, state.getJsonObject("data").getJsonObject("changes").getInteger("brightness"));
    JsonObject ok = s.next(m -> "event".equals(m.getString("type")) && "command".equals(m.getString("kind"))
        && "succeeded".equals(m.getJsonObject("data").getString("status")));
    assertEquals(cid, ok.getJsonObject("data").getString("commandId"));
    lastSeq = ok.getLong("seq");
    // WHEN the app's socket drops and the lamp changes meanwhile (a REST command through the relay)
    s.close();
    app.call(HttpMethod.POST, "/homes/" + hubId + "/api/v1/devices/lamp/commands",
        new JsonObject().put("set", new JsonObject().put("brightness", 70)), h).expect(200);
    // THEN a new socket resumes with since and gets exactly what it missed, in order
    AppClient.Socket again = app.socket(ws, h);
    JsonObject sub = again.request(new JsonObject().put("type", "subscribe").put("since", lastSeq));
    assertNull(sub.getJsonObject("result").getValue("resync"));
    JsonObject missed = again.next(m -> "event".equals(m.getString("type")) && "state".equals(m.getString("kind")));
    assertTrue(missed.getLong("seq") > lastSeq);
    assertEquals(70, missed.getJsonObject("data").getJsonObject("changes").getInteger("brightness"));
    again.close();
    // a socket without the hub's token is refused by the hub itself, before any upgrade
    try {
      app.socket(ws, Map.of(SESSION, session, "Authorization", "Bearer forged"));
      throw new AssertionError("upgrade should be refused");
    } catch (io.vertx.core.http.UpgradeRejectedException e) {
      assertEquals(401, e.getStatus());
    }
  }

  @Test
  @Order(6)
  void anotherHubSeesNoneOfThisHubsTrafficAndItsAlertsGoToItsOwnUsers() throws Exception {
    // GIVEN a second hub (spoken by hand) bound to another WeChat user
    FakeHub other = new FakeHub(vertx, relay.port(), relay.devCertificatePath(), "0000aaaa0000bbbb0000cccc0000dddd");
    other.connect("link-code-of-the-other-hub-123", null);
    String otherKey = other.key.get(20, TimeUnit.SECONDS);
    other.answer = req -> req.getString("path").equals("/api/v1/auth/pair")
        ? new JsonObject().put("status", 200).put("headers", new JsonObject().put("Content-Type", "application/json"))
            .put("body", java.util.Base64.getEncoder().encodeToString("{\"accessToken\":\"other\"}".getBytes()))
        : new JsonObject().put("status", 200);
    String bob = app.call(HttpMethod.POST, "/relay/v1/auth/wechat",
        new JsonObject().put("code", wechat.code("code-bob", "o-bob")), Map.of()).expect(200).getString("sessionToken");
    app.call(HttpMethod.POST, "/relay/v1/homes/bind", new JsonObject().put("hubId", other.hubId).put("code", "X"),
        Map.of(SESSION, bob)).expect(200);
    // WHEN alice uses her hub, and bob tries alice's hub
    Map<String, String> h = Map.of(SESSION, session, "Authorization", "Bearer " + access);
    app.call(HttpMethod.GET, "/homes/" + hubId + "/api/v1/devices", null, h).expect(200);
    app.call(HttpMethod.GET, "/homes/" + hubId + "/api/v1/devices", null,
        Map.of(SESSION, bob, "Authorization", "Bearer " + access)).problem(403, "FORBIDDEN");
    // THEN the other hub received only bob's pairing
    assertEquals(1, other.frames.stream().filter(f -> "req".equals(f.getString("t"))).count(), other.frames.toString());
    assertFalse(other.frames.toString().contains(access), "alice's token never reaches another hub");
    // AND a hub cannot take another hub's id, with its own key or a link code
    FakeHub impostor = new FakeHub(vertx, relay.port(), relay.devCertificatePath(), hubId);
    assertRefused(() -> impostor.connect(null, otherKey));
    assertRefused(() -> impostor.connect("link-code-stealing-the-id-12345", null));
    assertTrue(relay.hubs().isOnline(hubId));
    // AND an alert from the other hub, even naming alice's hub, goes to bob only, once subscribed
    other.send(new JsonObject().put("t", "alert").put("hubId", hubId).put("device", "door")
        .put("deviceName", "Front door").put("text", "opened").put("ts", "2026-12-03T18:00:00.000Z"));
    other.send(new JsonObject().put("t", "alert").put("device", "door").put("deviceName", "Front door")
        .put("text", "closed").put("ts", "2026-12-03T18:00:05.000Z"));
    await().atMost(WAIT).until(() -> wechat.messages.size() == 2);
    wechat.messages.forEach(m -> {
      assertEquals("o-bob", m.getString("touser"));
      assertEquals("TPL-ALERT-1", m.getString("template_id"));
      assertEquals("Front door", m.getJsonObject("data").getJsonObject("thing1").getString("value"));
    });
    assertEquals(java.util.Set.of("2026-12-03 18:00:00", "2026-12-03 18:00:05"), wechat.messages.stream()
        .map(m -> m.getJsonObject("data").getJsonObject("time3").getString("value")).collect(java.util.stream.Collectors.toSet()));
    assertEquals(1, wechat.tokenFetches.get(), "the access token is cached");
    // a revoked token is refreshed once and the message still goes out
    wechat.revokeToken();
    other.send(new JsonObject().put("t", "alert").put("device", "door").put("text", "opened"));
    await().atMost(WAIT).until(() -> wechat.messages.size() == 3);
    assertEquals(2, wechat.tokenFetches.get());

    // a request the hub never answers: 504; one lost with the tunnel: 502
    other.answer = req -> null;
    Map<String, String> b = Map.of(SESSION, bob, "Authorization", "Bearer other");
    app.call(HttpMethod.GET, "/homes/" + other.hubId + "/api/v1/devices", null, b).problem(504, "HUB_TIMEOUT");
    other.dropOnRequest = true;
    app.call(HttpMethod.GET, "/homes/" + other.hubId + "/api/v1/devices", null, b).problem(502, "HUB_CONNECTION_LOST");
    await().atMost(WAIT).until(() -> !relay.hubs().isOnline(other.hubId));
    app.call(HttpMethod.GET, "/homes/" + other.hubId + "/api/v1/devices", null, b).problem(503, "HUB_OFFLINE");
  }

  @Test
  @Order(7)
  void aDeviceGoingOfflineIsAnAlertToTheHubsUsers() {
    // GIVEN alice bound to the hub; WHEN its lamp drops off the network (the broker's will)
    int before = wechat.messages.size();
    sim.device("lamp").goOffline(true);
    // THEN alice gets a subscribe message naming it, and nobody else does
    await().atMost(WAIT).until(() -> wechat.messages.size() > before);
    JsonObject m = wechat.messages.get(before);
    assertEquals("o-alice", m.getString("touser"));
    assertEquals("Lamp", m.getJsonObject("data").getJsonObject("thing1").getString("value"));
    assertEquals("offline", m.getJsonObject("data").getJsonObject("thing2").getString("value"));
    assertEquals(before + 1, wechat.messages.size());
  }

  @Test
  @Order(8)
  void theHubWorksOnTheLanWhileTheRelayIsDownAndReconnectsWhenItIsBack() {
    // GIVEN the relay stops
    int port = relay.port();
    AppClient.sync(vertx.undeploy(relayDeployment));
    await().atMost(WAIT).until(() -> !relay.hubs().isOnline(hubId));
    // THEN the hub answers on the LAN as before
    lan(HttpMethod.GET, "/api/v1/devices", null, ownerToken).expect(200);
    // WHEN a relay comes back on the same address and store
    relay = new RelayServer(new RelayConfigLoader(relayEnv(port)).load(null));
    relayDeployment = AppClient.sync(vertx.deployVerticle(relay));
    // THEN the hub reconnects by itself (jittered backoff, relay.reconnectMaxDelayMs 1 s here) with its
    // key, and the app's session still works
    await().atMost(WAIT).until(() -> relay.hubs().isOnline(hubId));
    app.call(HttpMethod.GET, "/homes/" + hubId + "/api/v1/devices/lamp", null,
        Map.of(SESSION, session, "Authorization", "Bearer " + access)).expect(200);
  }

  @Test
  @Order(9)
  void anOfflineHubAnswers503AndUnbindingIsExplicit() {
    Map<String, String> h = Map.of(SESSION, session, "Authorization", "Bearer " + access);
    // GIVEN the hub stops (power cut at home)
    AppClient.sync(hub.stop());
    await().atMost(WAIT).until(() -> !relay.hubs().isOnline(hubId));
    // THEN the app gets 503 HUB_OFFLINE, and the home is listed offline
    app.call(HttpMethod.GET, "/homes/" + hubId + "/api/v1/devices", null, h).problem(503, "HUB_OFFLINE");
    assertFalse(app.call(HttpMethod.GET, "/relay/v1/homes", null, Map.of(SESSION, session)).expect(200)
        .getJsonArray("homes").getJsonObject(0).getBoolean("online"));
    hub = null;
    // unbinding is explicit
    assertEquals(204, app.call(HttpMethod.DELETE, "/relay/v1/homes/" + hubId, null, Map.of(SESSION, session)).status());
    assertEquals(new JsonArray(), app.call(HttpMethod.GET, "/relay/v1/homes", null, Map.of(SESSION, session))
        .expect(200).getJsonArray("homes"));
  }

  private Map<String, String> relayEnv(int port) {
    return Map.of("HEARTH_RELAY_HTTP_HOST", "127.0.0.1", "HEARTH_RELAY_HTTP_PORT", String.valueOf(port),
        "HEARTH_RELAY_TLS_DEV_SELF_SIGNED", "true", "HEARTH_RELAY_DATA_DIR", dir.resolve("relay").toString(),
        "HEARTH_RELAY_WECHAT_APP_ID", FakeWeChat.APP_ID, "HEARTH_RELAY_WECHAT_SECRET", FakeWeChat.SECRET,
        "HEARTH_RELAY_WECHAT_API_BASE", wechat.apiBase(), "HEARTH_RELAY_WECHAT_ALERT_TEMPLATE_ID", "TPL-ALERT-1",
        "HEARTH_RELAY_TUNNEL_REQUEST_TIMEOUT_MS", "8000");
  }

  @Test
  @Order(10)
  void noTokenKeyOrSecretIsLogged() throws Exception {
    String hubKey = new JsonObject(readString(dir.resolve("hub").resolve("relay.json"))).getString("hubKey");
    List<String> lines;
    synchronized (logs) {
      lines = logs.list.stream().map(e -> e.getFormattedMessage()
          + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).toList();
    }
    assertTrue(lines.size() > 20, "the run logged: " + lines.size());
    for (String secret : List.of(session, access, ownerToken, hubKey, FakeWeChat.SECRET, "SESSION-KEY-o-alice",
        "ACCESS_TOKEN_1")) {
      assertTrue(lines.stream().noneMatch(l -> l.contains(secret)), "a log line holds a secret");
    }
  }

  private AppClient.Answer lan(HttpMethod m, String path, JsonObject body, String token) {
    if (lan == null) {
      lan = new AppClient(vertx, hubHttpPort, null);
    }
    return lan.call(m, path, body, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
  }

  private static void assertRefused(Runnable connect) {
    try {
      connect.run();
      throw new AssertionError("the relay should refuse this tunnel");
    } catch (io.vertx.core.http.UpgradeRejectedException e) {
      assertEquals(401, e.getStatus());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] readBytes(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
