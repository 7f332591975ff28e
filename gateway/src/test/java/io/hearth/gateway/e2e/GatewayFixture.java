package io.hearth.gateway.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.hearth.gateway.Application;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.sim.SimBridge;
import io.hearth.sim.SimDevice;
import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimOptions;
import io.hearth.sim.Simulator;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole gateway on real parts for end-to-end tests: the real {@link Application} (embedded
 * HiveMQ or an external broker, SQLite in a temp dir, the real HTTP server on a free port),
 * simulated devices from protocol-sim logged in with their own credentials, and a real HTTP
 * client. Start, restart and stop it; it cleans up every simulator it started.
 */
final class GatewayFixture implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayFixture.class);
  /** Periodic sim reports far apart: state changes in a test come only from what the test does. */
  static final long QUIET_REPORT_MS = 3_600_000;
  static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final GatewayConfig config;
  private final List<SimDeviceSpec> simulated;
  private final Set<String> unregistered;
  private final List<Simulator> simulators = new ArrayList<>();
  /** The pairing code of every test gateway; its first start pairs the owner with it. */
  static final String PAIRING_CODE = "E2E-PAIR-CODE";
  private final Http http = new Http("http://unset");
  private String ownerToken;
  private Application app;
  private Simulator sim;

  private GatewayFixture(GatewayConfig config, List<SimDeviceSpec> simulated, Set<String> unregistered) {
    this.config = config;
    this.simulated = List.copyOf(simulated);
    this.unregistered = Set.copyOf(unregistered);
  }

  /** A free TCP port on loopback (for listeners that cannot take port 0). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The built-in profiles folder of this checkout ({@code config/profiles}). */
  static Path profilesFolder() {
    Path p = Path.of(System.getProperty("user.dir")).resolve("../config/profiles").normalize();
    if (!Files.isDirectory(p)) {
      p = Path.of(System.getProperty("user.dir")).resolve("config/profiles").normalize();
    }
    return p;
  }

  /** A hearth-convention MQTT sim device with credentials and quiet periodic reports. */
  static SimDeviceSpec device(String id, String profile) {
    return SimDeviceSpec.mqtt(id, profile).withCredentials(id, password(id)).withReportIntervalMs(QUIET_REPORT_MS);
  }

  static String password(String id) {
    return "pw-" + id + "-7f3a9c";
  }

  static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** How to build a fixture. */
  static final class Builder {
    private final Path dir;
    private final List<SimDeviceSpec> simulated = new ArrayList<>();
    private final List<SimDeviceSpec> registeredOnly = new ArrayList<>();
    private final Set<String> unregistered = new java.util.HashSet<>();
    private String externalUrl;
    private String externalUser;
    private String externalPassword;
    private int graceMs = 1500;
    private int httpPort;
    private boolean allowAnonymous;
    private GatewayConfig.Link mqttLink;
    private GatewayConfig.HomeAssistant homeAssistant;
    private io.hearth.gateway.config.AutomationConfig automations;
    private io.hearth.gateway.config.HistoryConfig history;

    private Builder(Path dir) {
      this.dir = Objects.requireNonNull(dir);
    }

    /** Registered in devices.yaml and run by the fixture's simulator. */
    Builder simulated(SimDeviceSpec... specs) {
      simulated.addAll(List.of(specs));
      return this;
    }

    /** Registered in devices.yaml, but no simulator runs it (tests start their own, or none). */
    Builder registeredOnly(SimDeviceSpec... specs) {
      registeredOnly.addAll(List.of(specs));
      return this;
    }

    /** Devices behind a simulated bridge left out of devices.yaml (strangers the bridge announces). */
    Builder unregistered(String... ids) {
      unregistered.addAll(List.of(ids));
      return this;
    }

    Builder externalBroker(String url, String user, String password) {
      this.externalUrl = url;
      this.externalUser = user;
      this.externalPassword = password;
      return this;
    }

    /** The gateway's MQTT keep-alive, connect timeout and session expiry ({@code mqtt.*Seconds}). */
    Builder mqttLink(GatewayConfig.Link link) {
      this.mqttLink = link;
      return this;
    }

    /** Home Assistant interop ({@code homeAssistant.*}, docs/home-assistant.md). */
    Builder homeAssistant(GatewayConfig.HomeAssistant ha) {
      this.homeAssistant = ha;
      return this;
    }

    /** {@code automations.*} and {@code location.*} (docs/automations.md). */
    Builder automations(io.hearth.gateway.config.AutomationConfig a) {
      this.automations = a;
      return this;
    }

    /** {@code history.*} (docs/history.md). */
    Builder history(io.hearth.gateway.config.HistoryConfig h) {
      this.history = h;
      return this;
    }

    Builder graceMs(int ms) {
      this.graceMs = ms;
      return this;
    }

    /** The embedded broker admits clients without credentials (mqtt.embedded.allowAnonymous). */
    Builder allowAnonymous() {
      this.allowAnonymous = true;
      return this;
    }

    Builder httpPort(int port) {
      this.httpPort = port;
      return this;
    }

    /** Writes devices.yaml and gateway config into the dir; starts nothing. */
    GatewayFixture build() {
      List<SimDeviceSpec> all = new ArrayList<>(simulated);
      all.addAll(registeredOnly);
      Path devices = dir.resolve("devices.yaml");
      writeDevices(devices, all, unregistered);
      boolean embedded = externalUrl == null;
      int brokerPort = embedded ? freePort() : 0;
      GatewayConfig config = new GatewayConfig(
          new GatewayConfig.Http("127.0.0.1", httpPort, new GatewayConfig.Tls(false, null, null), 65536),
          new GatewayConfig.Mqtt(new GatewayConfig.Embedded(embedded, "127.0.0.1", brokerPort, allowAnonymous),
              embedded ? "tcp://127.0.0.1:" + brokerPort : externalUrl, externalUser, externalPassword, mqttLink),
          new GatewayConfig.Coap("127.0.0.1", 0),
          dir.resolve("data"), PAIRING_CODE, profilesFolder(), devices,
          new GatewayConfig.Commands(5000, 60000, graceMs));
      if (homeAssistant != null) {
        config = config.withHomeAssistant(homeAssistant);
      }
      if (automations != null) {
        config = config.withAutomations(automations);
      }
      if (history != null) {
        config = config.withHistory(history);
      }
      return new GatewayFixture(config, simulated, unregistered);
    }
  }

  /**
   * Writes specs as a devices.yaml (JSON is YAML) with each device's credentials; a Zigbee2MQTT
   * bridge goes under {@code bridges:} with its credentials, its devices name it in {@code binding.bridge}.
   */
  static void writeDevices(Path file, List<SimDeviceSpec> specs) {
    writeDevices(file, specs, Set.of());
  }

  /** The same, leaving out the devices behind a bridge whose ids are {@code unregistered}. */
  static void writeDevices(Path file, List<SimDeviceSpec> specs, Set<String> unregistered) {
    JsonArray list = new JsonArray();
    JsonArray bridges = new JsonArray();
    for (SimDeviceSpec s : specs) {
      if (s.isBridge()) {
        JsonObject b = new JsonObject().put("id", s.id()).put("convention", "zigbee2mqtt").put("baseTopic", s.topic());
        if (s.username() != null) {
          b.put("credentials", new JsonObject().put("username", s.username()).put("password", s.password()));
        }
        bridges.add(b);
        s.children().stream().filter(c -> !unregistered.contains(c.id())).forEach(c -> list.add(entry(c, s.id())));
      } else {
        list.add(entry(s, null));
      }
    }
    JsonObject root = new JsonObject();
    if (!bridges.isEmpty()) {
      root.put("bridges", bridges);
    }
    try {
      Files.writeString(file, root.put("devices", list).encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonObject entry(SimDeviceSpec s, String bridge) {
    JsonObject binding = new JsonObject().put("protocol", "mqtt").put("convention", s.convention());
    if (!"hearth".equals(s.convention())) {
      binding.put("topic", s.topic());
    }
    if (bridge != null) {
      binding.put("bridge", bridge);
    } else if (s.username() != null) {
      binding.put("credentials", new JsonObject().put("username", s.username()).put("password", s.password()));
    }
    return new JsonObject().put("id", s.id()).put("name", "Test " + s.id()).put("room", "test")
        .put("profile", s.profile()).put("binding", binding);
  }

  /** The ids the gateway knows of these specs: a bridge's devices instead of the bridge. */
  static List<String> deviceIds(List<SimDeviceSpec> specs) {
    List<String> ids = new ArrayList<>();
    for (SimDeviceSpec s : specs) {
      if (s.isBridge()) {
        s.children().forEach(c -> ids.add(c.id()));
      } else {
        ids.add(s.id());
      }
    }
    return ids;
  }

  GatewayConfig config() {
    return config;
  }

  /** The owner's token: the first start pairs with the pairing code only while there is none. */
  String ownerToken() {
    return ownerToken;
  }

  /** Uses this owner token instead of pairing (a gateway restored from another one's backup). */
  GatewayFixture ownerToken(String token) {
    this.ownerToken = token;
    return this;
  }

  /** Starts the gateway, then the simulated devices, and waits until the gateway sees them online. */
  GatewayFixture start() {
    startGateway();
    startSims();
    return this;
  }

  void startGateway() {
    if (app != null) {
      throw new IllegalStateException("already running");
    }
    Application a = Application.builder(config).build();
    try {
      join(a.start(), START_TIMEOUT);
    } catch (RuntimeException e) {
      join(a.stop(), START_TIMEOUT);
      throw e;
    }
    app = a;
    http.base("http://127.0.0.1:" + a.httpPort() + "/api/v1");
    if (ownerToken == null) {
      // the first start: pair as the owner with the configured code (single use), and keep the token;
      // it stays valid across restarts (the signing key is in the data folder)
      http.token(null);
      ownerToken = http.post("/auth/pair", new JsonObject().put("code", PAIRING_CODE).put("client", "e2e"))
          .assertJson(200).getString("accessToken");
    }
    http.token(ownerToken);
    LOG.info("test gateway up [http: {}, mqtt: {}]", http.base(), a.mqttUrl());
  }

  void stopGateway() {
    Application a = app;
    app = null;
    if (a != null) {
      join(a.stop(), START_TIMEOUT);
    }
  }

  /** Stops and starts the gateway on the same data dir (and broker port); sims stay as they are. */
  void restart() {
    stopGateway();
    startGateway();
  }

  /** Starts the fixture's simulated devices and waits until the gateway shows every one online. */
  void startSims() {
    if (simulated.isEmpty() || sim != null) {
      return;
    }
    sim = simulate(simulated);
    for (String id : deviceIds(simulated)) {
      if (!unregistered.contains(id)) {
        awaitOnline(id);
      }
    }
  }

  /** Starts extra simulated devices (closed with the fixture). */
  Simulator simulate(List<SimDeviceSpec> specs) {
    Simulator s = Simulator.start(SimOptions.defaults(mqttUrl()).withDefaultReportIntervalMs(QUIET_REPORT_MS)
        .withStartTimeout(Duration.ofSeconds(30)), specs);
    simulators.add(s);
    return s;
  }

  /** The fixture's simulated device. */
  SimDevice sim(String id) {
    SimDevice d = sim == null ? null : sim.device(id);
    assertNotNull(d, "no simulated device " + id);
    return d;
  }

  /** The fixture's simulated Zigbee2MQTT bridge. */
  SimBridge bridge(String id) {
    SimBridge b = sim == null ? null : sim.bridge(id);
    assertNotNull(b, "no simulated bridge " + id);
    return b;
  }

  String mqttUrl() {
    return app != null ? app.mqttUrl() : config.mqtt().embedded().enabled()
        ? "tcp://127.0.0.1:" + config.mqtt().embedded().port() : config.mqtt().url();
  }

  Application app() {
    return app;
  }

  Http http() {
    return http;
  }

  // ---- app API helpers

  /** GET /devices/{id}, asserting 200. */
  JsonObject device(String id) {
    return http.get("/devices/" + id).assertJson(200);
  }

  Http.Resp command(String id, JsonObject body, String... headers) {
    return http.post("/devices/" + id + "/commands", body, headers);
  }

  /** Sends {@code {"set":…}} and asserts 200 succeeded; returns the body. */
  JsonObject set(String id, JsonObject set) {
    JsonObject b = command(id, new JsonObject().put("set", set)).assertJson(200);
    assertEquals("succeeded", b.getString("status"), b::encode);
    return b;
  }

  Http.Resp getCommand(String id, String commandId) {
    return http.get("/devices/" + id + "/commands/" + commandId);
  }

  JsonObject awaitDevice(String id, Predicate<JsonObject> condition) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> device(id), condition::test);
  }

  void awaitOnline(String id) {
    awaitDevice(id, d -> d.getBoolean("online", false));
  }

  /** Polls GET command until it is terminal; returns it. */
  JsonObject awaitTerminal(String id, String commandId, Duration atMost) {
    Set<String> terminal = Set.of("succeeded", "failed", "timed_out", "unknown");
    return await().atMost(atMost).pollInterval(Duration.ofMillis(100))
        .until(() -> getCommand(id, commandId).assertJson(200), c -> terminal.contains(c.getString("status")));
  }

  @Override
  public void close() {
    for (Simulator s : simulators) {
      try {
        s.close();
      } catch (RuntimeException e) {
        LOG.warn("simulator did not close: {}", e.toString());
      }
    }
    simulators.clear();
    sim = null;
    stopGateway();
  }

  /** Closes the fixture's own simulator (devices go offline with their will). */
  void stopSims() {
    Simulator s = sim;
    sim = null;
    if (s != null) {
      simulators.remove(s);
      s.close();
    }
  }

  static <T> T join(Future<T> f, Duration timeout) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("not done within " + timeout, e);
    }
  }
}
