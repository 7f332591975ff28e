package io.hearth.gateway.ws;

import io.hearth.gateway.Application;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.events.EventLog;
import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimOptions;
import io.hearth.sim.Simulator;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real gateway (embedded broker, store, core, HTTP and WebSocket) in a temp data dir, with
 * simulated lamps from protocol-sim on its broker, each with its own credentials.
 */
final class WsGateway implements AutoCloseable {
  final Path dataDir;
  final List<String> lamps;
  private final WsOptions ws;
  private final EventLog.Limits limits;
  private final List<SimDeviceSpec> specs = new ArrayList<>();
  private final Path devicesFile;
  private final int mqttPort;
  Application app;
  Simulator sim;

  WsGateway(Path dataDir, int lampCount, WsOptions ws, EventLog.Limits limits) throws IOException {
    this.dataDir = dataDir;
    this.ws = ws;
    this.limits = limits;
    this.lamps = new ArrayList<>();
    StringBuilder yaml = new StringBuilder("devices:\n");
    for (int i = 1; i <= lampCount; i++) {
      String id = "lamp-" + i;
      String password = "secret-of-" + id;
      lamps.add(id);
      yaml.append("  - { id: ").append(id).append(", name: Lamp ").append(i).append(", room: living,")
          .append(" profile: light.dimmable, binding: { protocol: mqtt, convention: hearth,")
          .append(" credentials: { username: ").append(id).append(", password: ").append(password).append(" } } }\n");
      specs.add(SimDeviceSpec.mqtt(id, "light.dimmable").withCredentials(id, password)
          .withReportIntervalMs(3_600_000));
    }
    devicesFile = dataDir.resolve("devices.yaml");
    Files.writeString(devicesFile, yaml);
    mqttPort = freePort();
  }

  private String ownerToken;

  /** Starts the gateway, then the simulated devices. */
  WsGateway start() throws Exception {
    GatewayConfig config = new GatewayConfig(
        new GatewayConfig.Http("127.0.0.1", 0, new GatewayConfig.Tls(false, null, null), 64 * 1024),
        new GatewayConfig.Mqtt(new GatewayConfig.Embedded(true, "127.0.0.1", mqttPort, false),
            "tcp://127.0.0.1:" + mqttPort, null, null),
        new GatewayConfig.Coap("127.0.0.1", 0),
        dataDir.resolve("data"), "pairing-code-for-tests", Path.of("../config/profiles"), devicesFile,
        new GatewayConfig.Commands(5000, 60000, 10000));
    app = Application.builder(config).webSocket(ws, limits).build();
    app.start().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    if (ownerToken == null) {
      ownerToken = pairOwner();
    }
    WsProbe.bearer = ownerToken;
    if (sim == null) {
      sim = Simulator.start(SimOptions.defaults(app.mqttUrl()), specs);
    }
    awaitSettled();
    return this;
  }

  /** Pairs as the owner with the configured code (single use: once per gateway data folder). */
  private String pairOwner() throws Exception {
    var request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + app.httpPort() + "/api/v1/auth/pair"))
        .header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
            "{\"code\":\"pairing-code-for-tests\",\"client\":\"ws-tests\"}"))
        .build();
    var response = java.net.http.HttpClient.newHttpClient().send(request,
        java.net.http.HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("pairing failed: " + response.statusCode() + " " + response.body());
    }
    return new io.vertx.core.json.JsonObject(response.body()).getString("accessToken");
  }

  /** Waits until the gateway shows every lamp online with the simulator's state (start reports done). */
  void awaitSettled() throws Exception {
    try (VertxWsProbe c = new VertxWsProbe(wsUrl())) {
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
        var devices = c.ok(new io.vertx.core.json.JsonObject().put("type", "get_states")).getJsonArray("devices");
        for (int i = 0; i < devices.size(); i++) {
          var d = devices.getJsonObject(i);
          if (sim.device(d.getString("id")) != null && (!d.getBoolean("online")
              || !d.getJsonObject("state").getMap().equals(sim.device(d.getString("id")).state()))) {
            return false;
          }
        }
        return true;
      });
    }
  }

  /** Stops the gateway (cleanly); the simulated devices stay up and reconnect by themselves. */
  void stopGateway() throws Exception {
    app.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  String wsUrl() {
    return "ws://127.0.0.1:" + app.httpPort() + WsEndpoint.PATH;
  }

  int httpPort() {
    return app.httpPort();
  }

  @Override
  public void close() throws Exception {
    if (sim != null) {
      sim.close();
    }
    if (app != null) {
      stopGateway();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
