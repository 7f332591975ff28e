package io.hearth.gateway.security;

import static io.hearth.gateway.security.TestGateway.PAIRING_CODE;
import static io.hearth.gateway.security.TestGateway.X;
import static io.hearth.gateway.security.TestGateway.Y;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every REST operation of the document × every kind of token, on the real gateway: the exact
 * status and problem {@code code} for owner, member, a guest of another device, a guest of this
 * device, an expired token, a forged one and none. An operation added to the document without a
 * row here fails {@link #everyOperationOfTheDocumentHasARow()}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityMatrixTest {

  enum Kind { OWNER, MEMBER, GUEST_OTHER, GUEST_THIS, EXPIRED, FORGED, NONE }

  /** Expected answer: status, and the problem code (null for a success). */
  record Expect(int status, String code) {}

  /** One operation: how to call it per kind, and what each kind gets. */
  record Row(String operationId, HttpMethod method, Function<Kind, String> path, Function<Kind, JsonObject> body,
      Map<Kind, Expect> expected) {}

  @TempDir static Path tmp;
  static TestGateway gw;
  static final Map<Kind, String> TOKENS = new EnumMap<>(Kind.class);
  static String ownerId;
  static String commandId;

  @BeforeAll
  static void start() throws Exception {
    gw = TestGateway.start(tmp.resolve("data"), false);
    // GIVEN an owner (the pairing code), a member and two guests (invites)
    JsonObject owner = gw.pair(PAIRING_CODE, "owner phone");
    ownerId = owner.getJsonObject("user").getString("id");
    assertEquals("owner", owner.getJsonObject("user").getString("role"));
    String o = owner.getString("accessToken");
    TOKENS.put(Kind.OWNER, o);
    TOKENS.put(Kind.MEMBER, gw.pair(gw.invite(o, "member", List.of()), "member").getString("accessToken"));
    TOKENS.put(Kind.GUEST_OTHER, gw.pair(gw.invite(o, "guest", List.of(Y)), "guest y").getString("accessToken"));
    TOKENS.put(Kind.GUEST_THIS, gw.pair(gw.invite(o, "guest", List.of(X)), "guest x").getString("accessToken"));
    // an expired token with a valid signature, and a live one signed with another key
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = new JsonObject().put("sub", ownerId).put("sid", "s1");
    JWTOptions options = new JWTOptions().setAlgorithm("HS256").setIssuer(AccessTokens.ISSUER)
        .setAudience(List.of(AccessTokens.AUDIENCE));
    TOKENS.put(Kind.EXPIRED, AccessTokens.jwtAuth(gw.clientVertx(), gw.signingKey())
        .generateToken(claims.copy().put("exp", now - 60), options));
    TOKENS.put(Kind.FORGED, AccessTokens.jwtAuth(gw.clientVertx(), Secrets.token(32))
        .generateToken(claims.copy().put("exp", now + 600), options));
    // a device for the owner to delete, and a command for everyone to look up
    assertEquals(201, gw.call(HttpMethod.POST, "/devices", o, coapDevice("del-me")).statusCode());
    HttpResponse<Buffer> cmd = gw.call(HttpMethod.POST, "/devices/" + X + "/commands", o, command());
    assertEquals(202, cmd.statusCode(), cmd.bodyAsString());
    commandId = cmd.bodyAsJsonObject().getString("commandId");
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
  }

  static JsonObject coapDevice(String id) {
    return new JsonObject().put("id", id).put("profile", "light.dimmable")
        .put("binding", new JsonObject().put("protocol", "coap").put("uri", "coap://127.0.0.1:5799"));
  }

  static JsonObject command() {
    return new JsonObject().put("set", new JsonObject().put("power", true)).put("wait", false).put("timeoutMs", 1000);
  }

  /** Owner, member, guest of another device, guest of this device; then 401 for the three bad tokens. */
  static Map<Kind, Expect> expect(Expect owner, Expect member, Expect guestOther, Expect guestThis) {
    Map<Kind, Expect> m = new EnumMap<>(Kind.class);
    m.put(Kind.OWNER, owner);
    m.put(Kind.MEMBER, member);
    m.put(Kind.GUEST_OTHER, guestOther);
    m.put(Kind.GUEST_THIS, guestThis);
    for (Kind k : List.of(Kind.EXPIRED, Kind.FORGED, Kind.NONE)) {
      m.put(k, new Expect(401, "UNAUTHORIZED"));
    }
    return m;
  }

  static Map<Kind, Expect> everyone(Expect e) {
    Map<Kind, Expect> m = new EnumMap<>(Kind.class);
    for (Kind k : Kind.values()) {
      m.put(k, e);
    }
    return m;
  }

  static Expect ok(int status) {
    return new Expect(status, null);
  }

  static final Expect FORBIDDEN = new Expect(403, "FORBIDDEN");
  static final Expect HIDDEN = new Expect(404, "DEVICE_NOT_FOUND");

  static List<Row> rows() {
    Function<Kind, JsonObject> none = k -> null;
    List<Row> rows = new ArrayList<>();
    rows.add(new Row("listDevices", HttpMethod.GET, k -> "/devices", none,
        expect(ok(200), ok(200), ok(200), ok(200))));
    rows.add(new Row("getDevice", HttpMethod.GET, k -> "/devices/" + X, none,
        expect(ok(200), ok(200), HIDDEN, ok(200))));
    rows.add(new Row("registerDevice", HttpMethod.POST, k -> "/devices",
        k -> coapDevice("reg-" + k.name().toLowerCase(Locale.ROOT).replace('_', '-')),
        expect(ok(201), FORBIDDEN, FORBIDDEN, FORBIDDEN)));
    rows.add(new Row("deleteDevice", HttpMethod.DELETE, k -> "/devices/" + (k == Kind.OWNER ? "del-me" : X), none,
        expect(ok(204), FORBIDDEN, HIDDEN, FORBIDDEN)));
    rows.add(new Row("sendCommand", HttpMethod.POST, k -> "/devices/" + X + "/commands", k -> command(),
        expect(ok(202), ok(202), HIDDEN, ok(202))));
    rows.add(new Row("getCommand", HttpMethod.GET, k -> "/devices/" + X + "/commands/" + commandId, none,
        expect(ok(200), ok(200), HIDDEN, ok(200))));
    rows.add(new Row("listProfiles", HttpMethod.GET, k -> "/profiles", none,
        expect(ok(200), ok(200), ok(200), ok(200))));
    rows.add(new Row("metrics", HttpMethod.GET, k -> "/metrics", none,
        expect(ok(200), FORBIDDEN, FORBIDDEN, FORBIDDEN)));
    rows.add(new Row("createInvite", HttpMethod.POST, k -> "/users/invites",
        k -> new JsonObject().put("role", "member"), expect(ok(201), FORBIDDEN, FORBIDDEN, FORBIDDEN)));
    // approving X (registered, so not pending): the owner reaches the handler, which finds no registration
    rows.add(new Row("approveDevice", HttpMethod.POST, k -> "/devices/" + X + "/approve", k -> new JsonObject(),
        expect(HIDDEN, FORBIDDEN, HIDDEN, FORBIDDEN)));
    rows.add(new Row("listDiscovered", HttpMethod.GET, k -> "/discovery", none,
        expect(ok(200), FORBIDDEN, FORBIDDEN, FORBIDDEN)));
    // Zigbee2MQTT bridges: owner only (an unknown bridge reaches the handler: 404 NOT_FOUND)
    Expect noBridge = new Expect(404, "NOT_FOUND");
    rows.add(new Row("listBridges", HttpMethod.GET, k -> "/bridges", none,
        expect(ok(200), FORBIDDEN, FORBIDDEN, FORBIDDEN)));
    rows.add(new Row("registerBridge", HttpMethod.POST, k -> "/bridges",
        k -> new JsonObject().put("id", "hub-" + k.name().toLowerCase(Locale.ROOT).replace('_', '-')),
        expect(ok(201), FORBIDDEN, FORBIDDEN, FORBIDDEN)));
    rows.add(new Row("getBridge", HttpMethod.GET, k -> "/bridges/no-such-hub", none,
        expect(noBridge, FORBIDDEN, FORBIDDEN, FORBIDDEN)));
    rows.add(new Row("deleteBridge", HttpMethod.DELETE, k -> "/bridges/no-such-hub", none,
        expect(noBridge, FORBIDDEN, FORBIDDEN, FORBIDDEN)));
    // remote access (docs/relay.md): owner only; the test gateway has relay.enabled false, so the owner gets 409
    rows.add(new Row("linkRelay", HttpMethod.POST, k -> "/relay/link", none,
        expect(new Expect(409, "CONFLICT"), FORBIDDEN, FORBIDDEN, FORBIDDEN)));
    // automations: owners and members (an unknown automation reaches the handler: 404 NOT_FOUND)
    Expect noRule = new Expect(404, "NOT_FOUND");
    Function<Kind, JsonObject> rule = k -> new JsonObject().put("id", "auto-" + k.name().toLowerCase(Locale.ROOT)
        .replace('_', '-')).put("triggers", new io.vertx.core.json.JsonArray().add(new JsonObject()
        .put("trigger", "time").put("at", "03:00"))).put("actions", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("delay", "1s")));
    rows.add(new Row("listAutomations", HttpMethod.GET, k -> "/automations", none,
        expect(ok(200), ok(200), FORBIDDEN, FORBIDDEN)));
    rows.add(new Row("createAutomation", HttpMethod.POST, k -> "/automations", rule,
        expect(ok(201), ok(201), FORBIDDEN, FORBIDDEN)));
    rows.add(new Row("getAutomation", HttpMethod.GET, k -> "/automations/no-such", none,
        expect(noRule, noRule, FORBIDDEN, FORBIDDEN)));
    rows.add(new Row("replaceAutomation", HttpMethod.PUT, k -> "/automations/no-such", rule,
        expect(noRule, noRule, FORBIDDEN, FORBIDDEN)));
    rows.add(new Row("deleteAutomation", HttpMethod.DELETE, k -> "/automations/no-such", none,
        expect(noRule, noRule, FORBIDDEN, FORBIDDEN)));
    rows.add(new Row("enableAutomation", HttpMethod.POST, k -> "/automations/no-such/enable", none,
        expect(noRule, noRule, FORBIDDEN, FORBIDDEN)));
    rows.add(new Row("disableAutomation", HttpMethod.POST, k -> "/automations/no-such/disable", none,
        expect(noRule, noRule, FORBIDDEN, FORBIDDEN)));
    rows.add(new Row("triggerAutomation", HttpMethod.POST, k -> "/automations/no-such/trigger", k -> new JsonObject(),
        expect(noRule, noRule, FORBIDDEN, FORBIDDEN)));
    rows.add(new Row("listAutomationRuns", HttpMethod.GET, k -> "/automations/no-such/runs", none,
        expect(noRule, noRule, FORBIDDEN, FORBIDDEN)));
    // history (docs/history.md): as the device
    rows.add(new Row("getDeviceHistory", HttpMethod.GET, k -> "/devices/" + X + "/history?property=power", none,
        expect(ok(200), ok(200), HIDDEN, ok(200))));
    // scenes (docs/scenes.md): owners and members manage; an unknown scene reaches the handler
    Expect noScene = new Expect(404, "NOT_FOUND");
    Function<Kind, JsonObject> scene = k -> new JsonObject().put("id", "s-" + k.name().toLowerCase(Locale.ROOT)
        .replace('_', '-')).put("name", "S").put("targets", new JsonObject().put(X, new JsonObject().put("power", true)));
    rows.add(new Row("listScenes", HttpMethod.GET, k -> "/scenes", none, expect(ok(200), ok(200), ok(200), ok(200))));
    rows.add(new Row("createScene", HttpMethod.POST, k -> "/scenes", scene,
        expect(ok(201), ok(201), FORBIDDEN, FORBIDDEN)));
    rows.add(new Row("getScene", HttpMethod.GET, k -> "/scenes/no-such-scene", none,
        expect(noScene, noScene, noScene, noScene)));
    rows.add(new Row("updateScene", HttpMethod.PUT, k -> "/scenes/no-such-scene", scene,
        expect(noScene, noScene, FORBIDDEN, FORBIDDEN)));
    rows.add(new Row("deleteScene", HttpMethod.DELETE, k -> "/scenes/no-such-scene", none,
        expect(noScene, noScene, FORBIDDEN, FORBIDDEN)));
    rows.add(new Row("activateScene", HttpMethod.POST, k -> "/scenes/no-such-scene/activate", k -> new JsonObject(),
        expect(noScene, noScene, noScene, noScene)));
    rows.add(new Row("health", HttpMethod.GET, k -> "/health", none, everyone(ok(200))));
    rows.add(new Row("openapi", HttpMethod.GET, k -> "/openapi.yaml", none, everyone(ok(200))));
    // public: a token (even a bad one) changes nothing; a body the document refuses shows the route is
    // reached without spending the pairing/refresh rate limits
    rows.add(new Row("pair", HttpMethod.POST, k -> "/auth/pair", k -> new JsonObject().put("code", ""),
        everyone(new Expect(422, "VALIDATION_FAILED"))));
    rows.add(new Row("refreshToken", HttpMethod.POST, k -> "/auth/refresh", k -> new JsonObject(),
        everyone(new Expect(422, "VALIDATION_FAILED"))));
    return rows;
  }

  @Test
  @Order(1)
  void everyOperationOfTheDocumentHasARow() throws Exception {
    JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(Path.of("../docs/openapi.yaml").toFile());
    Set<String> inDocument = new TreeSet<>();
    doc.get("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(op -> {
      if (op.getValue().has("operationId")) {
        inDocument.add(op.getValue().get("operationId").asText());
      }
    }));
    Set<String> inMatrix = new TreeSet<>();
    rows().forEach(r -> inMatrix.add(r.operationId()));
    assertEquals(inDocument, inMatrix, "every operation of docs/openapi.yaml needs a row in the matrix");
  }

  @Test
  @Order(2)
  void everyRouteAnswersEveryKindOfToken() throws Exception {
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (Row row : rows()) {
      for (Kind kind : Kind.values()) {
        HttpResponse<Buffer> r = gw.call(row.method(), row.path().apply(kind), TOKENS.get(kind), row.body().apply(kind));
        Expect e = row.expected().get(kind);
        String code = e.code() == null ? null : problemCode(r);
        checked++;
        if (r.statusCode() != e.status() || (e.code() != null && !e.code().equals(code))) {
          failures.add(row.operationId() + " as " + kind + ": expected " + e + ", got " + r.statusCode() + " "
              + r.bodyAsString());
        }
        if (r.statusCode() == 401 && r.getHeader("WWW-Authenticate") == null) {
          failures.add(row.operationId() + " as " + kind + ": 401 without WWW-Authenticate");
        }
      }
    }
    assertEquals(List.of(), failures);
    assertEquals(rows().size() * Kind.values().length, checked);
  }

  @Test
  @Order(3)
  void aGuestListsOnlyItsDevicesAndTheOthersListAll() throws Exception {
    assertEquals(List.of(Y), ids(Kind.GUEST_OTHER));
    assertEquals(List.of(X), ids(Kind.GUEST_THIS));
    assertTrue(ids(Kind.MEMBER).containsAll(List.of(X, Y)));
    assertEquals(ids(Kind.OWNER), ids(Kind.MEMBER));
  }

  private static List<String> ids(Kind kind) throws Exception {
    HttpResponse<Buffer> r = gw.call(HttpMethod.GET, "/devices", TOKENS.get(kind), null);
    assertEquals(200, r.statusCode());
    List<String> ids = new ArrayList<>();
    r.bodyAsJsonObject().getJsonArray("devices").forEach(d -> ids.add(((JsonObject) d).getString("id")));
    return ids;
  }

  @Test
  @Order(4)
  void idempotencyKeysAreScopedByUser() throws Exception {
    // WHEN the owner repeats a key, and the member uses the same key with the same body
    String first = commandIdOf(gw.call(HttpMethod.POST, "/devices/" + X + "/commands", TOKENS.get(Kind.OWNER),
        command(), "same-key"));
    String repeat = commandIdOf(gw.call(HttpMethod.POST, "/devices/" + X + "/commands", TOKENS.get(Kind.OWNER),
        command(), "same-key"));
    String member = commandIdOf(gw.call(HttpMethod.POST, "/devices/" + X + "/commands", TOKENS.get(Kind.MEMBER),
        command(), "same-key"));
    // THEN the owner's repeat is the first command, the member's is another one
    assertEquals(first, repeat);
    assertNotEquals(first, member);
  }

  private static String commandIdOf(HttpResponse<Buffer> r) {
    assertEquals(202, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("commandId");
  }

  static String problemCode(HttpResponse<Buffer> r) {
    try {
      return r.bodyAsJsonObject().getString("code");
    } catch (RuntimeException e) {
      return null;
    }
  }
}
