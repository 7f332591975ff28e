package io.hearth.panel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.faults.JarProcess;
import io.hearth.sim.SimDeviceSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gateway as users run it ({@code java -jar gateway/target/hearth-gateway.jar}) in its own JVM
 * for the panel's browser tests: loopback, an HTTP port fixed across restarts, a known pairing
 * code, the embedded broker with anonymous clients allowed (so an unregistered Tasmota device can
 * announce itself, docs/discovery.md), and a devices file of simulated devices.
 */
final class PanelGateway implements AutoCloseable {
  static final String PAIRING_CODE = "PANEL-TEST-CODE";
  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final Map<String, String> env;
  private final int httpPort = freePort();
  private final int mqttPort = freePort();
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private JarProcess process;
  private int runs;

  private final boolean tls;

  PanelGateway(Path dir, List<SimDeviceSpec> devices, Map<String, String> rooms) {
    this(dir, devices, rooms, false);
  }

  /** @param tls HTTPS and WSS with the gateway's self-signed certificate ({@code http.tls.enabled}) */
  PanelGateway(Path dir, List<SimDeviceSpec> devices, Map<String, String> rooms, boolean tls) {
    this.dir = dir;
    this.tls = tls;
    Map<String, String> e = new LinkedHashMap<>();
    e.put("HEARTH_HTTP_PORT", Integer.toString(httpPort));
    e.put("HEARTH_MQTT_EMBEDDED_PORT", Integer.toString(mqttPort));
    e.put("HEARTH_MQTT_EMBEDDED_ALLOW_ANONYMOUS", "true");
    e.put("HEARTH_COAP_PORT", "0");
    e.put("HEARTH_DATA_DIR", dir.resolve("data").toString());
    e.put("HEARTH_AUTH_PAIRINGCODE", PAIRING_CODE);
    e.put("HEARTH_PROFILES", System.getProperty("hearth.profiles", "../config/profiles"));
    e.put("HEARTH_DEVICES", dir.resolve("devices.yaml").toString());
    e.put("HEARTH_HTTP_TLS_ENABLED", Boolean.toString(tls));
    this.env = Map.copyOf(e);
    JsonArray entries = new JsonArray();
    for (SimDeviceSpec s : devices) {
      entries.add(new JsonObject().put("id", s.id()).put("name", PanelBrowserTest.name(s.id()))
          .put("room", rooms.get(s.id())).put("profile", s.profile())
          .put("binding", new JsonObject().put("protocol", "mqtt").put("convention", "hearth")
              .put("credentials", new JsonObject().put("username", s.username()).put("password", s.password()))));
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("gateway.yaml"), "http: { host: 127.0.0.1 }\n");
      Files.writeString(dir.resolve("devices.yaml"), new JsonObject().put("devices", entries).encodePrettily());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the JVM and waits for its ready line. */
  PanelGateway start() {
    Path jar = Path.of(System.getProperty("hearth.gateway.jar", "../gateway/target/hearth-gateway.jar"))
        .toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(jar), () -> jar + " is missing: build it with ./mvnw -pl gateway -am package");
    runs++;
    process = JarProcess.start(JarProcess.testJava(), JarProcess.TEST_FLAGS, jar,
        List.of("--config", dir.resolve("gateway.yaml").toString()), dir, env, log(runs));
    process.awaitLine("Hearth ready", READY_TIMEOUT);
    return this;
  }

  /** SIGTERM and its exit status (a clean stop closes every WebSocket with 1001). */
  int stop() {
    return process.sigterm(Duration.ofSeconds(30));
  }

  String url() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + httpPort;
  }

  String mqttUrl() {
    return "tcp://127.0.0.1:" + mqttPort;
  }

  /** A plain GET (over HTTP only) of a path on the gateway (headers as name, value pairs); status, headers, body. */
  HttpResponse<String> get(String path, String... headers) {
    return send(HttpRequest.newBuilder(URI.create(url() + path)), headers);
  }

  /** A POST of a JSON body (over HTTP only), as {@link #get}. */
  HttpResponse<String> post(String path, JsonObject body, String... headers) {
    return send(HttpRequest.newBuilder(URI.create(url() + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())), headers);
  }

  private HttpResponse<String> send(HttpRequest.Builder b, String... headers) {
    b.timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Path log(int run) {
    return dir.resolve("gateway-" + run + ".log");
  }

  /** Kills the gateway if it runs, and keeps its logs in target/gateway-logs/. */
  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
    try {
      Path keep = Path.of(System.getProperty("hearth.panel.logs", "target/gateway-logs"));
      Files.createDirectories(keep);
      for (int run = 1; run <= runs; run++) {
        Files.copy(log(run), keep.resolve(dir.getFileName() + "-" + log(run).getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // the logs are a convenience for a post-mortem
    }
  }
}
