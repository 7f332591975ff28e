package io.hearth.gateway.security;

import io.hearth.gateway.Application;
import io.hearth.gateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The whole gateway for security tests: a real {@link Application} on a temporary data folder,
 * HTTP on a free port, the embedded broker on a free port, {@code auth.pairingCode} set to
 * {@link #PAIRING_CODE}, two MQTT devices with credentials ({@code lamp-x}, {@code lamp-y}), and a
 * web client. How a test gets tokens: {@code pair(PAIRING_CODE, "owner")} pairs the owner (once per
 * data folder); {@code pair(invite(ownerToken, "member", List.of()), "m")} a member.
 */
final class TestGateway implements AutoCloseable {
  static final String PAIRING_CODE = "TEST-PAIR-1234";
  static final String X = "lamp-x";
  static final String Y = "lamp-y";
  static final String X_PASSWORD = "x-secret-pw";
  static final String Y_PASSWORD = "y-secret-pw";
  static final String DEVICES = """
      devices:
        - { id: lamp-x, name: Lamp X, room: living, profile: light.dimmable,
            binding: { protocol: mqtt, convention: hearth, credentials: { username: lamp-x, password: x-secret-pw } } }
        - { id: lamp-y, name: Lamp Y, room: hall, profile: light.dimmable,
            binding: { protocol: mqtt, convention: hearth, credentials: { username: lamp-y, password: y-secret-pw } } }
      """;

  final Path dataDir;
  final boolean tls;
  private List<String> allowedOrigins = List.of();
  private SecurityLimits limits;
  private io.hearth.gateway.config.Limits configLimits;
  private final int mqttPort;
  private final Path devicesFile;
  private Application app;
  private final Vertx clientVertx = Vertx.vertx();
  private WebClient client;

  private TestGateway(Path dataDir, boolean tls) throws IOException {
    this.dataDir = dataDir;
    this.tls = tls;
    this.mqttPort = freePort();
    this.devicesFile = dataDir.resolveSibling(dataDir.getFileName() + "-devices.yaml");
    Files.writeString(devicesFile, DEVICES);
  }

  /**
   * A gateway with these configured limits ({@code GatewayConfig.limits()}) and more devices file
   * entries ({@code extraDevices}: YAML list items, indented by two spaces).
   */
  static TestGateway start(Path dataDir, io.hearth.gateway.config.Limits limits, String extraDevices)
      throws Exception {
    TestGateway g = new TestGateway(dataDir, false);
    g.configLimits = limits;
    Files.writeString(g.devicesFile, DEVICES + extraDevices);
    g.startApp();
    return g;
  }

  /** Starts a gateway on {@code dataDir} (created if needed). */
  static TestGateway start(Path dataDir, boolean tls) throws Exception {
    TestGateway g = new TestGateway(dataDir, tls);
    g.startApp();
    return g;
  }

  /** A gateway with {@code http.allowedOrigins} and other rate limits (null: the defaults). */
  static TestGateway start(Path dataDir, List<String> allowedOrigins, SecurityLimits limits) throws Exception {
    TestGateway g = new TestGateway(dataDir, false);
    g.allowedOrigins = List.copyOf(allowedOrigins);
    g.limits = limits;
    g.startApp();
    return g;
  }

  GatewayConfig config() {
    return new GatewayConfig(
        new GatewayConfig.Http("127.0.0.1", 0, new GatewayConfig.Tls(tls, null, null), 65536, allowedOrigins),
        new GatewayConfig.Mqtt(new GatewayConfig.Embedded(true, "127.0.0.1", mqttPort, false),
            "tcp://127.0.0.1:1883", null, null),
        new GatewayConfig.Coap("127.0.0.1", 0),
        dataDir, PAIRING_CODE, Path.of("../config/profiles"), devicesFile,
        // a long grace: devices stay "not heard from" (not offline), so commands are accepted
        new GatewayConfig.Commands(5000, 60000, 600_000)).withLimits(configLimits);
  }

  private void startApp() throws Exception {
    Application.Builder builder = Application.builder(config());
    if (limits != null) {
      builder.securityLimits(limits);
    }
    app = builder.build();
    await(app.start());
    WebClientOptions options = new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(app.httpPort());
    if (tls) {
      options.setSsl(true).setTrustOptions(new io.vertx.core.net.PemTrustOptions()
          .addCertPath(dataDir.resolve(SelfSignedTls.CERT_FILE).toString())).setVerifyHost(true);
    }
    client = WebClient.create(clientVertx, options);
    // ready: the gateway's own MQTT client is connected (health 200), so answers do not depend on timing
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
        .until(() -> call(HttpMethod.GET, "/health", null, null).statusCode() == 200);
  }

  /** Stops and starts the gateway again on the same data folder. */
  void restart() throws Exception {
    client.close();
    await(app.stop());
    startApp();
  }

  int coapPort() {
    return app.coapPort();
  }

  int httpPort() {
    return app.httpPort();
  }

  String mqttUrl() {
    return app.mqttUrl();
  }

  Vertx clientVertx() {
    return clientVertx;
  }

  /** A Paho MQTT 5 client connected to the embedded broker as device {@code user} (no automatic reconnect). */
  org.eclipse.paho.mqttv5.client.MqttClient connectDevice(String user, String password, String clientId)
      throws org.eclipse.paho.mqttv5.common.MqttException {
    var device = new org.eclipse.paho.mqttv5.client.MqttClient(mqttUrl(), clientId,
        new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    var options = new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
    options.setUserName(user);
    options.setPassword(password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    options.setAutomaticReconnect(false);
    device.connect(options);
    return device;
  }

  /** A request with an optional bearer token and JSON body. */
  HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body) throws Exception {
    return call(method, path, token, body, null);
  }

  HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body, String idempotencyKey)
      throws Exception {
    HttpRequest<Buffer> req = client.request(method, "/api/v1" + path);
    if (token != null) {
      req.putHeader("Authorization", "Bearer " + token);
    }
    if (idempotencyKey != null) {
      req.putHeader("Idempotency-Key", idempotencyKey);
    }
    return await(body == null ? req.send() : req.sendJsonObject(body));
  }

  /** Pairs with a code; fails the test unless 200. Returns the token pair. */
  JsonObject pair(String code, String clientName) throws Exception {
    HttpResponse<Buffer> r = call(HttpMethod.POST, "/auth/pair", null,
        new JsonObject().put("code", code).put("client", clientName));
    if (r.statusCode() != 200) {
      throw new AssertionError("pairing failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  /** Creates an invite as the owner; returns its code. */
  String invite(String ownerToken, String role, List<String> devices) throws Exception {
    JsonObject body = new JsonObject().put("role", role);
    if (!devices.isEmpty()) {
      body.put("devices", new JsonArray(devices));
    }
    HttpResponse<Buffer> r = call(HttpMethod.POST, "/users/invites", ownerToken, body);
    if (r.statusCode() != 201) {
      throw new AssertionError("invite failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject().getString("code");
  }

  /** The signing key (to make expired or otherwise odd tokens with a valid signature). */
  String signingKey() throws IOException {
    return Files.readString(dataDir.resolve(AccessTokens.KEY_FILE)).trim();
  }

  @Override
  public void close() throws Exception {
    try {
      if (client != null) {
        client.close();
      }
      if (app != null) {
        await(app.stop());
      }
    } finally {
      await(clientVertx.close());
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
