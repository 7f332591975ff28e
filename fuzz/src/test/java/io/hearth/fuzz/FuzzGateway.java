package io.hearth.fuzz;

import com.code_intelligence.jazzer.api.BugDetectors;
import io.hearth.gateway.Application;
import io.hearth.gateway.config.GatewayConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real gateway (embedded broker, store, core, REST and WebSocket) on random loopback ports in a
 * temporary data folder, with one registered lamp ({@value #LAMP}, hearth convention, no device
 * behind it: it stays offline) and an owner token, for the targets that go through a real socket.
 */
final class FuzzGateway implements AutoCloseable {
  static final String LAMP = "lamp-1";
  private static final String PAIRING_CODE = "pairing-code-for-fuzzing";

  private final Path dir;
  private final Application app;
  private final String token;

  private FuzzGateway(Path dir, Application app, String token) {
    this.dir = dir;
    this.app = app;
    this.token = token;
  }

  static FuzzGateway start() throws Exception {
    Path dir = Files.createTempDirectory("hearth-fuzz");
    Path devices = dir.resolve("devices.yaml");
    Files.writeString(devices, "devices:\n  - { id: " + LAMP + ", name: Lamp, room: living, profile: light.dimmable,"
        + " binding: { protocol: mqtt, convention: hearth, credentials: { username: " + LAMP
        + ", password: secret-of-lamp } } }\n");
    int mqttPort = freePort();
    GatewayConfig config = new GatewayConfig(
        new GatewayConfig.Http("127.0.0.1", 0, new GatewayConfig.Tls(false, null, null), 64 * 1024),
        new GatewayConfig.Mqtt(new GatewayConfig.Embedded(true, "127.0.0.1", mqttPort, false),
            "tcp://127.0.0.1:" + mqttPort, null, null),
        new GatewayConfig.Coap("127.0.0.1", 0),
        dir.resolve("data"), PAIRING_CODE, Path.of("../config/profiles"), devices,
        new GatewayConfig.Commands(2000, 10000, 10000));
    Application app = Application.builder(config).build();
    app.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    return new FuzzGateway(dir, app, pair(app.httpPort()));
  }

  /** Pairs as the owner with the pairing code: the bearer token of the fuzzing client. */
  private static String pair(int port) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/auth/pair"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + PAIRING_CODE + "\",\"client\":\"fuzz\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("pairing failed: " + response.statusCode() + " " + response.body());
    }
    return new io.vertx.core.json.JsonObject(response.body()).getString("accessToken");
  }

  /**
   * Lets connections to the loopback interface through Jazzer's SSRF detector, which reports every
   * connection opened while fuzzing (any thread): ours and the gateway's own go to loopback only.
   * Call it for every input: the agent is not installed before the first one and resets the policy
   * when fuzzing starts.
   */
  static void allowLoopbackConnections() {
    BugDetectors.allowNetworkConnections((host, port) -> host.equals("localhost") || host.startsWith("127.")
        || host.equals("::1") || host.equals("[::1]") || host.equals("0:0:0:0:0:0:0:1"));
  }

  int httpPort() {
    return app.httpPort();
  }

  String token() {
    return token;
  }

  @Override
  public void close() throws Exception {
    try {
      app.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
