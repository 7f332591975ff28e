package io.hearth.gateway.coap;

import io.hearth.adapter.coap.Libcoap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hearth.gateway.Application;
import io.hearth.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running gateway's CoAP side: the ready endpoint and health, the resource directory (driven by
 * libcoap's coap-client and by Californium), approval through REST, and a libcoap server as a
 * generic device controlled through the REST API.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GatewayCoapTest {
  static Application app;
  static Vertx client;
  static WebClient http;
  static String ownerToken;
  static final List<Libcoap> servers = new ArrayList<>();

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    Path devices = dir.resolve("devices.yaml");
    Files.writeString(devices, "devices: []\n");
    int unusedMqtt;
    try (ServerSocket s = new ServerSocket(0)) {
      unusedMqtt = s.getLocalPort(); // no broker there: MQTT stays down, which this test does not need
    }
    GatewayConfig config = new GatewayConfig(
        new GatewayConfig.Http("127.0.0.1", 0, new GatewayConfig.Tls(false, null, null), 64 * 1024),
        new GatewayConfig.Mqtt(new GatewayConfig.Embedded(false, "127.0.0.1", 0, false),
            "tcp://127.0.0.1:" + unusedMqtt, null, null),
        new GatewayConfig.Coap("127.0.0.1", 0),
        dir.resolve("data"), "pairing-code-123", Path.of("../config/profiles"), devices,
        new GatewayConfig.Commands(5000, 60000, 10000));
    app = Application.builder(config).build();
    app.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    client = Vertx.vertx();
    http = WebClient.create(client);
    ownerToken = call("POST", "/auth/pair", new JsonObject().put("code", "pairing-code-123").put("client", "coap-test"))
        .bodyAsJsonObject().getString("accessToken");
  }

  @AfterAll
  static void stop() throws Exception {
    for (Libcoap s : servers) {
      s.close();
    }
    if (http != null) {
      http.close();
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (app != null) {
      app.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  static HttpResponse<Buffer> call(String method, String path, JsonObject body) throws Exception {
    var req = http.request(io.vertx.core.http.HttpMethod.valueOf(method), app.httpPort(), "127.0.0.1",
        "/api/v1" + path);
    if (ownerToken != null) {
      req.bearerTokenAuthentication(ownerToken);
    }
    var f = body == null ? req.send() : req.sendJsonObject(body);
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static String rd() {
    return "coap://127.0.0.1:" + app.coapPort() + "/rd";
  }

  @Test
  void endpointIsBoundAndHealthy() throws Exception {
    assertTrue(app.coapPort() > 0);
    JsonObject health = call("GET", "/health", null).bodyAsJsonObject();
    assertEquals("up", health.getString("coap"), health.encode());
    CoapClient c = new CoapClient("coap://127.0.0.1:" + app.coapPort() + "/.well-known/core");
    try {
      CoapResponse r = c.get();
      assertTrue(r.getResponseText().contains("</rd>") && r.getResponseText().contains("core.rd"),
          r.getResponseText());
    } finally {
      c.shutdown();
    }
  }

  @Test
  void registrationUpdateAndRemovalFollowRfc9176() throws Exception {
    CoapClient c = new CoapClient(rd() + "?ep=rd-lamp&lt=60");
    try {
      // WHEN a device registers THEN 2.01 with Location-Path rd/<handle>, and it is pending
      CoapResponse created = c.post("</state>;rt=\"hearth.light.dimmable\";obs", MediaTypeRegistry.APPLICATION_LINK_FORMAT);
      assertEquals(ResponseCode.CREATED, created.getCode());
      List<String> location = created.getOptions().getLocationPath();
      assertEquals("rd", location.get(0));
      assertEquals(2, location.size());
      assertTrue(pendingIds().contains("rd-lamp"));
      // update (2.04) and removal (2.02)
      c.setURI(rd() + "/" + location.get(1) + "?lt=120");
      assertEquals(ResponseCode.CHANGED, c.post("", MediaTypeRegistry.UNDEFINED).getCode());
      c.setURI(rd() + "/" + location.get(1));
      assertEquals(ResponseCode.DELETED, c.delete().getCode());
      assertEquals(ResponseCode.NOT_FOUND, c.delete().getCode());
      assertTrue(!pendingIds().contains("rd-lamp"));
      // an unknown rt is refused
      c.setURI(rd() + "?ep=rd-toaster");
      CoapResponse refused = c.post("</state>;rt=\"hearth.toaster\"", MediaTypeRegistry.APPLICATION_LINK_FORMAT);
      assertEquals(ResponseCode.BAD_REQUEST, refused.getCode());
      assertTrue(!pendingIds().contains("rd-toaster"));
    } finally {
      c.shutdown();
    }
  }

  static List<String> pendingIds() throws Exception {
    JsonArray pending = call("GET", "/discovery", null).bodyAsJsonObject().getJsonArray("pending");
    List<String> ids = new ArrayList<>();
    pending.forEach(p -> ids.add(((JsonObject) p).getString("id")));
    return ids;
  }

  @Test
  void libcoapClientRegistersAndTheOwnerApproves() throws Exception {
    assumeTrue(Libcoap.client().isPresent(), "libcoap not installed");
    // WHEN coap-client registers a device with the gateway's RD
    String out = Libcoap.client("-m", "post", "-t", "40", "-B", "3", rd() + "?ep=x&lt=60",
        "-e", "</state>;rt=\"hearth.light.dimmable\"");
    assertTrue(!out.contains("4.") && !out.contains("5."), out);
    // THEN it is pending; approval registers it as a coap/hearth device at the registration's source
    await().atMost(Duration.ofSeconds(5)).until(() -> pendingIds().contains("x"));
    JsonObject pending = call("GET", "/discovery", null).bodyAsJsonObject().getJsonArray("pending").stream()
        .map(JsonObject.class::cast).filter(p -> p.getString("id").equals("x")).findFirst().orElseThrow();
    assertTrue(pending.getString("uri").startsWith("coap://127.0.0.1:"), pending.encode());
    assertEquals("light.dimmable", pending.getString("profile"));
    HttpResponse<Buffer> approved = call("POST", "/devices/x/approve", new JsonObject().put("name", "Found lamp"));
    assertEquals(201, approved.statusCode(), approved.bodyAsString());
    JsonObject device = call("GET", "/devices/x", null).bodyAsJsonObject();
    assertEquals("coap", device.getString("protocol"));
    assertEquals("light.dimmable", device.getString("profile"));
    assertEquals("Found lamp", device.getString("name"));
    assertTrue(!pendingIds().contains("x"));
    assertEquals(404, call("POST", "/devices/nobody/approve", null).statusCode());
  }

  @Test
  void lapsedLifetimeMarksAnApprovedDeviceOffline() throws Exception {
    assumeTrue(Libcoap.server().isPresent() && Libcoap.client().isPresent(), "libcoap not installed");
    // GIVEN a live libcoap device registered (with base) and approved
    int port = Libcoap.freeUdpPortPair();
    servers.add(Libcoap.start(List.of(Libcoap.server().get(), "-A", "127.0.0.1", "-p", Integer.toString(port),
        "-d", "10")));
    String state = "coap://127.0.0.1:" + port + "/state";
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
      Libcoap.client("-m", "put", "-B", "1", state, "-e", "{\"power\":false}");
      return Libcoap.client("-B", "1", state).contains("power");
    });
    CoapClient c = new CoapClient(rd() + "?ep=short-lived&lt=2&base=coap://127.0.0.1:" + port);
    try {
      assertEquals(ResponseCode.CREATED,
          c.post("</state>;rt=\"hearth.light.dimmable\"", MediaTypeRegistry.APPLICATION_LINK_FORMAT).getCode());
    } finally {
      c.shutdown();
    }
    assertEquals(201, call("POST", "/devices/short-lived/approve", null).statusCode());
    await().atMost(Duration.ofSeconds(10)).until(() -> call("GET", "/devices/short-lived", null).bodyAsJsonObject()
        .getBoolean("online", false));
    // WHEN its lifetime lapses without an update THEN it is offline
    await().atMost(Duration.ofSeconds(10)).until(() -> !call("GET", "/devices/short-lived", null).bodyAsJsonObject()
        .getBoolean("online", true));
  }

  @Test
  void libcoapServerFoundThroughTheRdIsApprovedAsGenericWithReplace() throws Exception {
    assumeTrue(Libcoap.server().isPresent() && Libcoap.client().isPresent(), "libcoap not installed");
    // GIVEN a libcoap server (a PUT replaces its resource) holding two values, registered with the RD
    int port = Libcoap.freeUdpPortPair();
    servers.add(Libcoap.start(List.of(Libcoap.server().get(), "-A", "127.0.0.1", "-p", Integer.toString(port),
        "-d", "10")));
    String state = "coap://127.0.0.1:" + port + "/state";
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
      Libcoap.client("-m", "put", "-B", "1", state, "-e", "{\"power\":false,\"brightness\":10}");
      return Libcoap.client("-B", "1", state).contains("brightness");
    });
    String out = Libcoap.client("-m", "post", "-t", "40", "-B", "3",
        rd() + "?ep=rd-generic&lt=600&base=coap://127.0.0.1:" + port, "-e", "</state>;rt=\"hearth.light.dimmable\"");
    assertTrue(!out.contains("4.") && !out.contains("5."), out);
    await().atMost(Duration.ofSeconds(5)).until(() -> pendingIds().contains("rd-generic"));
    // WHEN the owner approves it as a generic device whose writes replace the resource
    HttpResponse<Buffer> approved = call("POST", "/devices/rd-generic/approve",
        new JsonObject().put("convention", "generic").put("write", "replace"));
    assertEquals(201, approved.statusCode(), approved.bodyAsString());
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      JsonObject d = call("GET", "/devices/rd-generic", null).bodyAsJsonObject();
      return d.getBoolean("online", false) && Integer.valueOf(10).equals(d.getJsonObject("state").getInteger("brightness"));
    });
    // THEN a command changing one value keeps the other on the device (patch would have wiped it)
    HttpResponse<Buffer> r = call("POST", "/devices/rd-generic/commands",
        new JsonObject().put("set", new JsonObject().put("brightness", 40)));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    String held = Libcoap.client("-B", "2", state);
    assertTrue(held.contains("\"power\":false") && held.contains("\"brightness\":40"), held);
  }

  @Test
  void libcoapServerAsGenericDeviceIsControlledThroughRest() throws Exception {
    assumeTrue(Libcoap.server().isPresent() && Libcoap.client().isPresent(), "libcoap not installed");
    int port = Libcoap.freeUdpPortPair();
    servers.add(Libcoap.start(List.of(Libcoap.server().get(), "-A", "127.0.0.1", "-p", Integer.toString(port),
        "-d", "10")));
    String state = "coap://127.0.0.1:" + port + "/state";
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
      Libcoap.client("-m", "put", "-B", "1", state, "-e", "{\"power\":false,\"brightness\":10}");
      return Libcoap.client("-B", "1", state).contains("brightness");
    });
    JsonObject registration = new JsonObject().put("id", "porch").put("profile", "light.dimmable")
        .put("binding", new JsonObject().put("protocol", "coap").put("convention", "generic")
            .put("uri", "coap://127.0.0.1:" + port).put("state", "/state").put("write", "replace"));
    assertEquals(201, call("POST", "/devices", registration).statusCode());
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      JsonObject d = call("GET", "/devices/porch", null).bodyAsJsonObject();
      return d.getBoolean("online", false) && Integer.valueOf(10).equals(d.getJsonObject("state").getInteger("brightness"));
    });
    // WHEN the app commands it THEN it succeeds and libcoap holds the merged state
    HttpResponse<Buffer> r = call("POST", "/devices/porch/commands",
        new JsonObject().put("set", new JsonObject().put("brightness", 60)));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("succeeded", r.bodyAsJsonObject().getString("status"));
    String held = Libcoap.client("-B", "2", state);
    assertTrue(held.contains("\"power\":false") && held.contains("\"brightness\":60"), held);
    // WHEN coap-client changes it THEN the gateway's state follows through Observe
    Libcoap.client("-m", "put", "-B", "2", state, "-e", "{\"power\":true,\"brightness\":60}");
    await().atMost(Duration.ofSeconds(5)).until(() -> call("GET", "/devices/porch", null).bodyAsJsonObject()
        .getJsonObject("state").getBoolean("power", false));
  }
}
