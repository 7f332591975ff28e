package io.hearth.gateway.security;

import static io.hearth.gateway.security.TestGateway.PAIRING_CODE;
import static io.hearth.gateway.security.TestGateway.X;
import static io.hearth.gateway.security.TestGateway.X_PASSWORD;
import static io.hearth.gateway.security.TestGateway.Y;
import static io.hearth.gateway.security.TestGateway.Y_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimOptions;
import io.hearth.sim.Simulator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebSocket's half of {@link SecurityMatrixTest}, on the real gateway with simulated lamps X and
 * Y: every client message × every kind of token (at the upgrade and as a first {@code auth}
 * message) with the exact answer; that a guest's subscriptions (live and replayed) carry nothing
 * of a device it may not see while that device changes, emits, goes offline and gets commands;
 * origins at the upgrade; and the command budget shared with REST.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WsSecurityMatrixTest {

  enum Kind { OWNER, MEMBER, GUEST_OTHER, GUEST_THIS, EXPIRED, FORGED, NONE }

  enum Mode { UPGRADE, AUTH_MESSAGE }

  /** One client message: how to send it (returns the answer), and the error code per kind (null: success). */
  record Row(String name, BiFunction<WsClient, Kind, JsonObject> call, Map<Kind, String> expected) {}

  static final String ALLOWED_ORIGIN = "https://app.example.com";
  static final String NOT_FOUND = "DEVICE_NOT_FOUND";
  static final String UNAUTHORIZED = "UNAUTHORIZED";
  static final List<Kind> VALID = List.of(Kind.OWNER, Kind.MEMBER, Kind.GUEST_OTHER, Kind.GUEST_THIS);

  @TempDir static Path tmp;
  static TestGateway gw;
  static Simulator sim;
  /** The command budget's clock: frozen (no refill) unless a test moves it. */
  static final AtomicLong budgetNanos = new AtomicLong();
  static final Map<Kind, String> TOKENS = new EnumMap<>(Kind.class);

  @BeforeAll
  static void start() throws Exception {
    // GIVEN the gateway with an allowed origin, a frozen command-budget clock, and the lamps running
    // (pairing limits raised: this class pairs more than five phones from one address)
    SecurityLimits limits = new SecurityLimits(new RateLimiter(1, 100, 100, System::nanoTime),
        new RateLimiter(1, 100, 1, System::nanoTime), SecurityLimits.defaults().refreshPerAddress(),
        new RateLimiter(20, 40, SecurityLimits.MAX_KEYS, budgetNanos::get));
    gw = TestGateway.start(tmp.resolve("data"), List.of(ALLOWED_ORIGIN), limits);
    sim = Simulator.start(SimOptions.defaults(gw.mqttUrl()), List.of(
        SimDeviceSpec.mqtt(X, "light.dimmable").withCredentials(X, X_PASSWORD).withReportIntervalMs(3_600_000),
        SimDeviceSpec.mqtt(Y, "light.dimmable").withCredentials(Y, Y_PASSWORD).withReportIntervalMs(3_600_000)));
    // an owner, a member, a guest of Y (X hidden), a guest of X (Y hidden)
    String o = gw.pair(PAIRING_CODE, "owner phone").getString("accessToken");
    TOKENS.put(Kind.OWNER, o);
    TOKENS.put(Kind.MEMBER, gw.pair(gw.invite(o, "member", List.of()), "member").getString("accessToken"));
    TOKENS.put(Kind.GUEST_OTHER, gw.pair(gw.invite(o, "guest", List.of(Y)), "guest y").getString("accessToken"));
    TOKENS.put(Kind.GUEST_THIS, gw.pair(gw.invite(o, "guest", List.of(X)), "guest x").getString("accessToken"));
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = new JsonObject().put("sub", "someone").put("sid", "s1");
    JWTOptions options = new JWTOptions().setAlgorithm("HS256").setIssuer(AccessTokens.ISSUER)
        .setAudience(List.of(AccessTokens.AUDIENCE));
    TOKENS.put(Kind.EXPIRED, AccessTokens.jwtAuth(gw.clientVertx(), gw.signingKey())
        .generateToken(claims.copy().put("exp", now - 60), options));
    TOKENS.put(Kind.FORGED, AccessTokens.jwtAuth(gw.clientVertx(), Secrets.token(32))
        .generateToken(claims.copy().put("exp", now + 600), options));
    // ready: both lamps online in the gateway
    try (WsClient c = WsClient.open(gw, o, null)) {
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
        JsonArray devices = c.ok(new JsonObject().put("type", "get_states")).getJsonArray("devices");
        return devices.stream().map(JsonObject.class::cast).filter(d -> d.getBoolean("online")).count() == 2;
      });
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (sim != null) {
      sim.close();
    }
    if (gw != null) {
      gw.close();
    }
  }

  // ---- the matrix

  static Map<Kind, String> expect(String owner, String member, String guestOther, String guestThis) {
    Map<Kind, String> m = new EnumMap<>(Kind.class);
    m.put(Kind.OWNER, owner);
    m.put(Kind.MEMBER, member);
    m.put(Kind.GUEST_OTHER, guestOther);
    m.put(Kind.GUEST_THIS, guestThis);
    m.put(Kind.NONE, UNAUTHORIZED); // a connection that has not authenticated
    return m;
  }

  static Map<Kind, String> all(String code) {
    return expect(code, code, code, code);
  }

  static JsonObject msg(String type) {
    return new JsonObject().put("type", type);
  }

  static JsonObject subscribe(String... devices) {
    return msg("subscribe").put("devices", new JsonArray(List.of((Object[]) devices)));
  }

  static JsonObject set(String device) {
    return msg("command").put("device", device).put("set", new JsonObject().put("power", true));
  }

  static BiFunction<WsClient, Kind, JsonObject> send(JsonObject m) {
    return (c, k) -> c.request(m);
  }

  static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("ping", send(msg("ping")), all(null)));
    rows.add(new Row("subscribe", send(msg("subscribe")), all(null)));
    rows.add(new Row("subscribe kinds", send(msg("subscribe").put("kinds", new JsonArray().add("state"))), all(null)));
    rows.add(new Row("subscribe [X]", send(subscribe(X)), expect(null, null, NOT_FOUND, null)));
    rows.add(new Row("subscribe [Y]", send(subscribe(Y)), expect(null, null, null, NOT_FOUND)));
    rows.add(new Row("subscribe [X,Y] since", send(subscribe(X, Y).put("since", 1)),
        expect(null, null, NOT_FOUND, NOT_FOUND)));
    rows.add(new Row("subscribe [unknown]", send(subscribe("no-such-device")), all(NOT_FOUND)));
    rows.add(new Row("unsubscribe", (c, k) -> {
      if (k == Kind.NONE) {
        return c.request(msg("unsubscribe").put("subscription", 1));
      }
      int sub = c.ok(msg("subscribe")).getInteger("subscription");
      return c.request(msg("unsubscribe").put("subscription", sub));
    }, all(null)));
    rows.add(new Row("unsubscribe unknown", send(msg("unsubscribe").put("subscription", 999)),
        all("VALIDATION_FAILED")));
    rows.add(new Row("get_states", send(msg("get_states")), all(null)));
    rows.add(new Row("command set X", send(set(X)), expect(null, null, NOT_FOUND, null)));
    rows.add(new Row("command action X", send(msg("command").put("device", X).put("action", "blink")
        .put("input", new JsonObject().put("times", 2))), expect(null, null, NOT_FOUND, null)));
    rows.add(new Row("command set Y", send(set(Y)), expect(null, null, null, NOT_FOUND)));
    rows.add(new Row("command set unknown", send(set("no-such-device")), all(NOT_FOUND)));
    return rows;
  }

  @Test
  @Order(1)
  void everyMessageAnswersEveryKindOfToken() throws Exception {
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (Mode mode : Mode.values()) {
      for (Kind kind : Kind.values()) {
        String token = TOKENS.get(kind);
        String where = kind + " by " + mode;
        boolean bad = kind == Kind.EXPIRED || kind == Kind.FORGED;
        if (mode == Mode.UPGRADE && bad) {
          // THEN an expired or forged token in Authorization: no upgrade, 401
          int status = WsClient.upgradeStatus(gw, token, null);
          checked++;
          if (status != 401) {
            failures.add(where + ": upgrade answered " + status + ", expected 401");
          }
          continue;
        }
        try (WsClient c = WsClient.open(gw, mode == Mode.UPGRADE ? token : null, null)) {
          if (mode == Mode.AUTH_MESSAGE) {
            c.send(token == null ? msg("auth") : msg("auth").put("token", token));
            JsonObject answer = c.awaitMessage(m -> m.getString("type").startsWith("auth_"));
            checked++;
            if (bad || kind == Kind.NONE) {
              // THEN auth_invalid, and the server closes (policy violation)
              int code = c.awaitClose();
              if (!"auth_invalid".equals(answer.getString("type")) || code != 1008) {
                failures.add(where + ": expected auth_invalid and close 1008, got " + answer + " and " + code);
              }
              continue;
            }
            if (!"auth_ok".equals(answer.getString("type"))) {
              failures.add(where + ": expected auth_ok, got " + answer);
              continue;
            }
          }
          for (Row row : rows()) {
            JsonObject answer = row.call().apply(c, kind);
            String expected = row.expected().get(kind);
            String got = WsClient.code(answer);
            checked++;
            if (expected == null ? got != null : !expected.equals(got)) {
              failures.add(row.name() + " as " + where + ": expected " + (expected == null ? "success" : expected)
                  + ", got " + answer);
            }
          }
        }
      }
    }
    assertEquals(List.of(), failures);
    // every row for the 4 valid kinds in both modes and for NONE at the upgrade, plus the refusals
    assertEquals(rows().size() * 9 + 2 + 4 + 3, checked);
  }

  @Test
  @Order(2)
  void aBadAuthMessageClosesAnAuthenticatedConnection() throws Exception {
    for (Kind kind : List.of(Kind.EXPIRED, Kind.FORGED)) {
      try (WsClient c = WsClient.open(gw, TOKENS.get(Kind.OWNER), null)) {
        assertEquals(null, WsClient.code(c.request(msg("ping"))));
        c.send(msg("auth").put("token", TOKENS.get(kind)));
        assertEquals("auth_invalid", c.awaitMessage(m -> m.getString("type").startsWith("auth_")).getString("type"));
        assertEquals(1008, c.awaitClose(), kind.name());
      }
    }
  }

  @Test
  @Order(3)
  void getStatesListsOnlyVisibleDevices() throws Exception {
    assertEquals(Set.of(X, Y), stateIds(Kind.OWNER));
    assertEquals(Set.of(X, Y), stateIds(Kind.MEMBER));
    assertEquals(Set.of(Y), stateIds(Kind.GUEST_OTHER));
    assertEquals(Set.of(X), stateIds(Kind.GUEST_THIS));
  }

  private static Set<String> stateIds(Kind kind) throws Exception {
    try (WsClient c = WsClient.open(gw, TOKENS.get(kind), null)) {
      Set<String> ids = new TreeSet<>();
      c.ok(msg("get_states")).getJsonArray("devices").forEach(d -> ids.add(((JsonObject) d).getString("id")));
      return ids;
    }
  }

  // ---- a guest's event streams

  @Test
  @Order(4)
  void aGuestsSubscriptionsNeverCarryAHiddenDevice() throws Exception {
    try (WsClient owner = WsClient.open(gw, TOKENS.get(Kind.OWNER), null);
        WsClient guest = WsClient.open(gw, TOKENS.get(Kind.GUEST_THIS), null)) {
      // GIVEN the owner and the guest of X subscribed to everything, and the seq before it all
      owner.ok(msg("subscribe"));
      long before = owner.ok(msg("get_states")).getLong("seq");
      int guestSub = guest.ok(msg("subscribe")).getInteger("subscription");
      int guestKindsSub = guest.ok(msg("subscribe").put("kinds",
          new JsonArray(List.of("state", "availability", "command", "event", "device")))).getInteger("subscription");

      // WHEN Y (hidden from the guest) changes, emits an event, gets a command, goes offline and back,
      // and a device the guest cannot see is added and removed
      sim.device(Y).setState(Map.of("brightness", 17));
      awaitOwner(owner, "state", Y, d -> Integer.valueOf(17).equals(d.getJsonObject("changes").getValue("brightness")));
      sim.device(Y).emitEvent("overheat", Map.of("temp", 80.5));
      awaitOwner(owner, "event", Y, d -> "overheat".equals(d.getString("name")));
      String cid = owner.ok(set(Y)).getString("commandId");
      awaitOwner(owner, "command", Y, d -> cid.equals(d.getString("commandId"))
          && "succeeded".equals(d.getString("status")));
      sim.device(Y).goOffline(true);
      awaitOwner(owner, "availability", Y, d -> Boolean.FALSE.equals(d.getBoolean("online")));
      sim.device(Y).goOnline();
      awaitOwner(owner, "availability", Y, d -> Boolean.TRUE.equals(d.getBoolean("online")));
      String owners = TOKENS.get(Kind.OWNER);
      assertEquals(201, gw.call(HttpMethod.POST, "/devices", owners, SecurityMatrixTest.coapDevice("extra")).statusCode());
      assertEquals(204, gw.call(HttpMethod.DELETE, "/devices/extra", owners, null).statusCode());
      awaitOwner(owner, "device", "extra", d -> "removed".equals(d.getString("change")));

      // AND THEN X changes: its event, after all of Y's, closes the window
      sim.device(X).setState(Map.of("brightness", 33));
      JsonObject barrier = guest.awaitMessage(m -> isEvent(m, guestSub, "state", X)
          && Integer.valueOf(33).equals(m.getJsonObject("data").getJsonObject("changes").getValue("brightness")));
      guest.awaitMessage(m -> isEvent(m, guestKindsSub, "state", X) && m.getLong("seq").equals(barrier.getLong("seq")));
      assertTrue(owner.events(m -> Y.equals(m.getString("device"))).size() >= 5);

      // THEN the guest got X's event and nothing about Y or the other device, on either subscription
      assertEquals(List.of(), guest.events(m -> !X.equals(m.getString("device"))));

      // AND a replay from before it all (with and without a device filter) carries only X too
      for (JsonObject sub : List.of(msg("subscribe").put("since", before), subscribe(X).put("since", before))) {
        try (WsClient again = WsClient.open(gw, TOKENS.get(Kind.GUEST_THIS), null)) {
          JsonObject result = again.ok(sub);
          assertFalse(result.getBoolean("resync", false), result.encode());
          again.awaitMessage(m -> "event".equals(m.getString("type")) && m.getLong("seq").equals(barrier.getLong("seq")));
          assertEquals(List.of(), again.events(m -> !X.equals(m.getString("device"))), sub.encode());
        }
      }
    }
  }

  private static boolean isEvent(JsonObject m, int subscription, String kind, String device) {
    return "event".equals(m.getString("type")) && Integer.valueOf(subscription).equals(m.getInteger("subscription"))
        && kind.equals(m.getString("kind")) && device.equals(m.getString("device"));
  }

  private static void awaitOwner(WsClient owner, String kind, String device, Predicate<JsonObject> data) {
    owner.awaitMessage(m -> "event".equals(m.getString("type")) && kind.equals(m.getString("kind"))
        && device.equals(m.getString("device")) && data.test(m.getJsonObject("data")));
  }

  // ---- origins

  @Test
  @Order(5)
  void aForeignOriginIsRefusedTheOwnAndAllowedOnesAreAccepted() throws Exception {
    String owner = TOKENS.get(Kind.OWNER);
    assertEquals(403, WsClient.upgradeStatus(gw, owner, "http://evil.example"));
    assertEquals(403, WsClient.upgradeStatus(gw, null, "http://evil.example"));
    assertEquals(403, WsClient.upgradeStatus(gw, owner, "http://127.0.0.1:1"));
    assertEquals(101, WsClient.upgradeStatus(gw, owner, "http://127.0.0.1:" + gw.httpPort()));
    assertEquals(101, WsClient.upgradeStatus(gw, owner, ALLOWED_ORIGIN));
    assertEquals(101, WsClient.upgradeStatus(gw, owner, "HTTPS://App.Example.com/"));
    assertEquals(101, WsClient.upgradeStatus(gw, owner, null));
  }

  // ---- idempotency and the command budget

  @Test
  @Order(6)
  void idempotencyKeysAreScopedByUser() throws Exception {
    try (WsClient owner = WsClient.open(gw, TOKENS.get(Kind.OWNER), null);
        WsClient member = WsClient.open(gw, TOKENS.get(Kind.MEMBER), null)) {
      String first = owner.ok(set(X).put("idempotencyKey", "ws-key")).getString("commandId");
      String repeat = owner.ok(set(X).put("idempotencyKey", "ws-key")).getString("commandId");
      String other = member.ok(set(X).put("idempotencyKey", "ws-key")).getString("commandId");
      assertEquals(first, repeat);
      assertNotEquals(first, other);
    }
  }

  @Test
  @Order(7)
  void webSocketCommandsShareTheSessionsBudgetWithRest() throws Exception {
    // GIVEN a fresh session (budget 40, no refill while the clock stands still) that spent 30 over REST
    String token = gw.pair(gw.invite(TOKENS.get(Kind.OWNER), "member", List.of()), "busy member")
        .getString("accessToken");
    for (int i = 0; i < 30; i++) {
      assertEquals(202, rest(token).statusCode());
    }
    try (WsClient c = WsClient.open(gw, token, null); WsClient other = WsClient.open(gw, TOKENS.get(Kind.MEMBER), null)) {
      // WHEN it sends 11 more over the socket
      List<Integer> ids = c.pipeline(java.util.Collections.nCopies(10, set(X)));
      for (int id : ids) {
        assertEquals(null, WsClient.code(c.awaitMessage(m -> Integer.valueOf(id).equals(m.getInteger("id")))));
      }
      JsonObject limited = c.request(set(X));
      // THEN the 41st answers RATE_LIMITED with retryAfter, and so does REST now
      assertEquals("RATE_LIMITED", WsClient.code(limited), limited.encode());
      assertEquals(1L, limited.getJsonObject("error").getLong("retryAfter"));
      HttpResponse<Buffer> r = rest(token);
      assertEquals(429, r.statusCode());
      assertEquals("1", r.getHeader("Retry-After"));
      // AND another session is not affected
      assertEquals(null, WsClient.code(other.request(set(X))));
      // AND once a second passes (20 a second) it may go on, over either path
      budgetNanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
      assertEquals(null, WsClient.code(c.request(set(X))));
      assertEquals(202, rest(token).statusCode());
    }
  }

  private static HttpResponse<Buffer> rest(String token) throws Exception {
    return gw.call(HttpMethod.POST, "/devices/" + X + "/commands", token, SecurityMatrixTest.command());
  }
}
