package io.hearth.bench;

import io.hearth.gateway.Application;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Limits;
import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimOptions;
import io.hearth.sim.Simulator;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway under test and its devices, in this JVM: the real {@link Application} (embedded
 * HiveMQ, SQLite in a temp folder, HTTP on a free port, a pairing code in the config) with
 * {@code mqttDevices} simulated MQTT lights and {@code coapDevices} simulated CoAP lights, each
 * registered in devices.yaml, and the owner's token.
 *
 * <p>The broker admits anonymous clients ({@code mqtt.embedded.allowAnonymous: true}) so that the
 * raw MQTT baseline client can talk to every device; devices still log in with their own
 * credentials. The per-session command rate limit is raised through its config keys (see
 * {@link #COMMAND_FLOW}).
 */
public final class BenchHome implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BenchHome.class);
  /** The pairing code in the bench gateway's config; its first use pairs the owner. */
  public static final String PAIRING_CODE = "BENCH-PAIR-CODE";
  /** Periodic sim reports far apart: state changes come only from what a scenario does. */
  static final long QUIET_REPORT_MS = 3_600_000;

  private final Path dir;
  private final List<SimDeviceSpec> mqttSpecs = new ArrayList<>();
  private final List<SimDeviceSpec> coapSpecs = new ArrayList<>();
  private final long reportIntervalMs;
  private GatewayConfig.Relay relay;
  private Simulator coapSim;
  private Simulator mqttSim;
  private Application app;
  private GatewayClient client;
  private String ownerToken;

  /**
   * @param dir              an empty folder for the config, devices file and data
   * @param mqttDevices      simulated MQTT lights ({@code bench-m-00000}…)
   * @param coapDevices      simulated CoAP lights ({@code bench-c-00000}…)
   * @param reportIntervalMs the devices' periodic report interval
   */
  public BenchHome(Path dir, int mqttDevices, int coapDevices, long reportIntervalMs) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.reportIntervalMs = reportIntervalMs;
    for (int i = 0; i < mqttDevices; i++) {
      String id = mqttId(i);
      mqttSpecs.add(SimDeviceSpec.mqtt(id, "light.dimmable").withCredentials(id, "pw-" + id)
          .withReportIntervalMs(reportIntervalMs));
    }
    for (int i = 0; i < coapDevices; i++) {
      coapSpecs.add(SimDeviceSpec.coap(String.format("bench-c-%05d", i), "light.dimmable", null)
          .withReportIntervalMs(reportIntervalMs));
    }
  }

  public static String mqttId(int i) {
    return String.format("bench-m-%05d", i);
  }

  public static String coapId(int i) {
    return String.format("bench-c-%05d", i);
  }

  /**
   * The bench gateway's {@code commands.*} flow keys: the default in-flight cap per device, and a
   * per-session command limit far above what the bench drives (one token sends thousands of
   * commands a second; the default, 20 a second, stays for every other gateway). The same as
   * {@code HEARTH_COMMANDS_SESSION_RATE_PER_SECOND=1000000} and
   * {@code HEARTH_COMMANDS_SESSION_BURST=1000000} on a deployed gateway.
   */
  static final GatewayConfig.CommandFlow COMMAND_FLOW = new GatewayConfig.CommandFlow(
      GatewayConfig.CommandFlow.DEFAULTS.maxInFlightPerDevice(), 1_000_000, 1_000_000);

  /**
   * The bench broker's {@code mqtt.embedded.*} limits: the per-client publish limit (256 KiB/s by
   * default) raised to 64 MiB/s, and the all-clients ceiling with it. In the slider storm one device
   * answers 32 raw clients (a reply and a state per command) and the raw client publishes every
   * request: at the default, the broker dropped the device's replies and the raw baseline waited
   * out timeouts. Both paths run on this one broker, so the raise applies to raw and gateway alike
   * (docs/benchmarks.md). The same as {@code HEARTH_MQTT_EMBEDDED_CLIENT_PUBLISH_BYTES_PER_SECOND}.
   */
  static final Limits.BrokerLimits BROKER = new Limits.BrokerLimits(
      Limits.BrokerLimits.DEFAULTS.maxClients(), Limits.BrokerLimits.DEFAULTS.maxPacketBytes(), 64 << 20,
      256 << 20, Limits.BrokerLimits.DEFAULTS.maxQueuedMessagesPerClient(),
      Limits.BrokerLimits.DEFAULTS.receiveMaximum(), Limits.BrokerLimits.DEFAULTS.sessionExpiryMaxSeconds());

  /** The gateway's {@code relay.*} keys (its outbound tunnel); before {@link #start()}. */
  public BenchHome withRelay(GatewayConfig.Relay tunnel) {
    this.relay = Objects.requireNonNull(tunnel, "tunnel");
    return this;
  }

  /** Starts the CoAP devices, the gateway, the MQTT devices, pairs the owner and waits until all are online. */
  public BenchHome start() {
    if (!coapSpecs.isEmpty()) {
      coapSim = Simulator.start(SimOptions.defaults("tcp://127.0.0.1:1").withCoapBasePort(0)
          .withDefaultReportIntervalMs(reportIntervalMs), coapSpecs);
    }
    app = Application.builder(config()).build();
    Bench.join(app.start(), Duration.ofSeconds(120));
    client = new GatewayClient("127.0.0.1", app.httpPort(), 128);
    ownerToken = Bench.join(client.pair(PAIRING_CODE, "bench"), Duration.ofSeconds(30)).getString("accessToken");
    if (!mqttSpecs.isEmpty()) {
      mqttSim = Simulator.start(SimOptions.defaults(app.mqttUrl()).withDefaultReportIntervalMs(reportIntervalMs)
          .withConnectConcurrency(200).withStartTimeout(Duration.ofSeconds(180)), mqttSpecs);
    }
    awaitAllOnline(Duration.ofSeconds(120));
    LOG.info("bench home up [mqtt devices: {}, coap devices: {}, http: {}]", mqttSpecs.size(), coapSpecs.size(),
        app.httpPort());
    return this;
  }

  private void awaitAllOnline(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    int want = mqttSpecs.size() + coapSpecs.size();
    int online = 0;
    while (System.nanoTime() < deadline) {
      JsonArray devices = Bench.join(client.get(ownerToken, "/api/v1/devices"), Duration.ofSeconds(30))
          .getJsonArray("devices");
      online = (int) devices.stream().filter(d -> ((JsonObject) d).getBoolean("online", false)).count();
      if (online >= want) {
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L); // poll again (bounded by the deadline)
    }
    throw new IllegalStateException("only " + online + " of " + want + " devices online after " + within);
  }

  private GatewayConfig config() {
    Path devices = dir.resolve("devices.yaml");
    JsonArray list = new JsonArray();
    for (SimDeviceSpec s : mqttSpecs) {
      list.add(new JsonObject().put("id", s.id()).put("name", s.id()).put("room", "bench").put("profile", s.profile())
          .put("binding", new JsonObject().put("protocol", "mqtt").put("convention", "hearth")
              .put("credentials", new JsonObject().put("username", s.username()).put("password", s.password()))));
    }
    if (coapSim != null) {
      for (SimDeviceSpec s : coapSpecs) {
        list.add(new JsonObject().put("id", s.id()).put("name", s.id()).put("room", "bench")
            .put("profile", s.profile()).put("binding", new JsonObject().put("protocol", "coap")
                .put("convention", "hearth").put("uri", coapSim.coapDevice(s.id()).uri())));
      }
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(devices, new JsonObject().put("devices", list).encode());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int brokerPort = freePort();
    GatewayConfig config = new GatewayConfig(
        new GatewayConfig.Http("127.0.0.1", 0, new GatewayConfig.Tls(false, null, null), 65536),
        new GatewayConfig.Mqtt(new GatewayConfig.Embedded(true, "127.0.0.1", brokerPort, true),
            "tcp://127.0.0.1:" + brokerPort, null, null),
        new GatewayConfig.Coap("127.0.0.1", 0),
        dir.resolve("data"), PAIRING_CODE, profilesFolder(), devices,
        new GatewayConfig.Commands(5000, 60000, 30_000)).withCommandFlow(COMMAND_FLOW)
        .withLimits(Limits.DEFAULTS.withBroker(BROKER));
    return relay == null ? config : config.withRelay(relay);
  }

  /** The built-in profiles: {@code config/profiles} of the working folder or its parent. */
  static Path profilesFolder() {
    Path cwd = Path.of(System.getProperty("user.dir"));
    for (Path p : List.of(cwd.resolve("config/profiles"), cwd.resolve("../config/profiles"))) {
      if (Files.isDirectory(p)) {
        return p.normalize();
      }
    }
    throw new IllegalStateException("no config/profiles folder in " + cwd + " or its parent: run from the checkout");
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Application app() {
    return app;
  }

  public GatewayClient client() {
    return client;
  }

  public String ownerToken() {
    return ownerToken;
  }

  public Simulator mqttSim() {
    return mqttSim;
  }

  public Simulator coapSim() {
    return coapSim;
  }

  @Override
  public void close() {
    for (Simulator s : new Simulator[] {mqttSim, coapSim}) {
      if (s != null) {
        try {
          s.close();
        } catch (RuntimeException e) {
          LOG.warn("simulator did not close: {}", e.toString());
        }
      }
    }
    if (client != null) {
      client.close();
    }
    if (app != null) {
      Bench.join(app.stop(), Duration.ofSeconds(60));
    }
  }
}
