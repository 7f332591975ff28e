package io.hearth.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.sim.SimDeviceSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway as users run it: {@code java -jar gateway/target/hearth-gateway.jar} in its own JVM,
 * configured by {@code HEARTH_*} variables (docs/configuration.md), its data dir in a temp dir, its
 * HTTP port fixed across restarts. {@link #kill9()} is a crash, {@link #sigterm()} a clean stop;
 * {@link #start()} again runs on the same data dir. Each run's output goes to its own log file.
 */
final class GatewayProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayProcess.class);
  static final String PAIRING_CODE = "FAULT-PAIR-CODE";
  /** Every status a command ends in (docs/api.md, command statuses); {@code unknown} is issue 12's. */
  static final Set<String> TERMINAL = Set.of("succeeded", "failed", "timed_out", "unknown", "superseded");
  static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final Path dir;
  private final Map<String, String> env;
  private final int httpPort = Ports.freeTcp();
  private final Http http;
  private JarProcess process;
  private int runs;

  /**
   * @param dir     the gateway's folder: data/, devices.yaml, gateway.yaml, gateway-N.log
   * @param devices the devices file's entries ({@link #mqttEntry}, {@link #coapEntry})
   * @param env     HEARTH_* settings on top of the ones this class sets (ports, data dir, files)
   */
  GatewayProcess(Path dir, List<JsonObject> devices, Map<String, String> env) {
    this.dir = dir;
    this.http = new Http("http://127.0.0.1:" + httpPort + "/api/v1");
    Map<String, String> e = new LinkedHashMap<>();
    e.put("HEARTH_HTTP_PORT", Integer.toString(httpPort));
    e.put("HEARTH_COAP_PORT", "0");
    e.put("HEARTH_DATA_DIR", dir.resolve("data").toString());
    e.put("HEARTH_AUTH_PAIRINGCODE", PAIRING_CODE);
    e.put("HEARTH_PROFILES", System.getProperty("hearth.profiles", "../config/profiles"));
    e.put("HEARTH_DEVICES", dir.resolve("devices.yaml").toString());
    e.put("HEARTH_COMMANDS_AVAILABILITYGRACEMS", "3000");
    e.putAll(env);
    this.env = Map.copyOf(e);
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("gateway.yaml"), "# everything comes from HEARTH_* variables\nhttp: { host: 127.0.0.1 }\n");
      Files.writeString(dir.resolve("devices.yaml"), new JsonObject().put("devices", new JsonArray(devices)).encodePrettily());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** The environment of a gateway on an external broker (the embedded one off). */
  static Map<String, String> externalBroker(String url, String user, String password) {
    return Map.of("HEARTH_MQTT_EMBEDDED_ENABLED", "false", "HEARTH_MQTT_URL", url,
        "HEARTH_MQTT_USERNAME", user, "HEARTH_MQTT_PASSWORD", password);
  }

  /** A devices-file entry for a simulated MQTT device (its credentials, its convention's topic). */
  static JsonObject mqttEntry(SimDeviceSpec s) {
    JsonObject binding = new JsonObject().put("protocol", "mqtt").put("convention", s.convention());
    if (!"hearth".equals(s.convention())) {
      binding.put("topic", s.topic());
    }
    if (s.username() != null) {
      binding.put("credentials", new JsonObject().put("username", s.username()).put("password", s.password()));
    }
    return entry(s.id(), s.profile(), binding);
  }

  /** A devices-file entry for a CoAP device of the hearth convention at {@code uri}. */
  static JsonObject coapEntry(String id, String profile, String uri) {
    return entry(id, profile, new JsonObject().put("protocol", "coap").put("convention", "hearth").put("uri", uri));
  }

  private static JsonObject entry(String id, String profile, JsonObject binding) {
    return new JsonObject().put("id", id).put("name", "Fault " + id).put("room", "test").put("profile", profile)
        .put("binding", binding);
  }

  /** The jar the gateway module's package phase builds. */
  static Path jar() {
    Path jar = Path.of(System.getProperty("hearth.gateway.jar", "../gateway/target/hearth-gateway.jar"))
        .toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(jar), () -> jar + " is missing: build it with ./mvnw -pl gateway -am package");
    return jar;
  }

  /** Starts the JVM and waits for its ready line; the first start pairs the owner. */
  synchronized GatewayProcess start() {
    assertTrue(process == null || !process.alive(), "already running");
    runs++;
    process = JarProcess.start(JarProcess.testJava(), JarProcess.TEST_FLAGS, jar(),
        List.of("--config", dir.resolve("gateway.yaml").toString()), dir, env, log(runs));
    long t0 = System.nanoTime();
    process.awaitLine("Hearth ready", READY_TIMEOUT);
    LOG.info("gateway run {} ready in {} ms [pid: {}, http: {}]", runs, (System.nanoTime() - t0) / 1_000_000,
        process.pid(), http.base());
    if (http.token() == null) {
      http.token(http.post("/auth/pair", new JsonObject().put("code", PAIRING_CODE).put("client", "faults"))
          .assertJson(200).getString("accessToken"));
    }
    return this;
  }

  /** SIGKILL: the gateway ends at once, as in a power cut of its process. */
  synchronized void kill9() {
    process.kill(Duration.ofSeconds(20)); // SIGKILL on Linux
  }

  /** SIGTERM: returns the exit status (the gateway promises 0, docs/operations.md). */
  synchronized int sigterm(Duration deadline) {
    return process.sigterm(deadline); // SIGTERM on Linux
  }

  boolean running() {
    return process != null && process.alive();
  }

  Http http() {
    return http;
  }

  /** The output of the current (or last) run. */
  String log() {
    return read(log(runs));
  }

  private Path log(int run) {
    return dir.resolve("gateway-" + run + ".log");
  }

  private static String read(Path f) {
    try {
      return Files.exists(f) ? Files.readString(f) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** The lines of the current run's log that contain {@code text}. */
  List<String> logLines(String text) {
    List<String> out = new ArrayList<>();
    log().lines().filter(l -> l.contains(text)).forEach(out::add);
    return out;
  }

  // ---- the app API, as the scenarios use it

  JsonObject device(String id) {
    return http.get("/devices/" + id).assertJson(200);
  }

  JsonObject awaitDevice(String id, Predicate<JsonObject> condition, Duration deadline) {
    return await().atMost(deadline).pollInterval(Duration.ofMillis(50)).until(() -> device(id), condition);
  }

  JsonObject awaitOnline(String id) {
    return awaitDevice(id, d -> d.getBoolean("online", false), Duration.ofSeconds(30));
  }

  Http.Resp command(String device, JsonObject body, String... headers) {
    return http.post("/devices/" + device + "/commands", body, headers);
  }

  /** A wait=true set that must succeed. */
  JsonObject set(String device, JsonObject changes) {
    return command(device, new JsonObject().put("set", changes)).assertJson(200);
  }

  Http.Resp getCommand(String device, String commandId) {
    return http.get("/devices/" + device + "/commands/" + commandId);
  }

  /** Waits until the command is in a terminal status (docs/api.md) and returns it. */
  JsonObject awaitTerminal(String device, String commandId, Duration deadline) {
    return await().atMost(deadline).pollInterval(Duration.ofMillis(50))
        .until(() -> getCommand(device, commandId).assertJson(200), c -> TERMINAL.contains(c.getString("status")));
  }

  Http.Resp health() {
    return http.get("/health");
  }

  /** Kills the gateway if it runs, and keeps its logs in target/gateway-logs/ for a post-mortem. */
  @Override
  public synchronized void close() {
    if (running()) {
      process.close();
    }
    try {
      Path keep = Path.of(System.getProperty("hearth.faults.logs", "target/gateway-logs"))
          .resolve(dir.getParent().getFileName() + "-" + dir.getFileName());
      Files.createDirectories(keep);
      for (int run = 1; run <= runs; run++) {
        Files.copy(log(run), keep.resolve(log(run).getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.warn("could not keep the gateway's logs", e);
    }
  }
}
