package io.hearth.gateway;

import io.hearth.adapter.Transports;
import io.hearth.adapter.mqtt.MqttAdapterOptions;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.hearth.gateway.api.Metrics;
import io.hearth.gateway.broker.BrokerOptions;
import io.hearth.gateway.broker.DeviceCredentials;
import io.hearth.gateway.broker.EmbeddedBroker;
import io.hearth.gateway.config.ConfigException;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.core.PairingCode;
import io.hearth.gateway.profile.ProfileLoader;
import io.hearth.gateway.registry.DeviceFile;
import io.hearth.gateway.store.SqliteStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires Hearth's object graph by hand, in one place, and runs its lifecycle: checks the
 * configuration, opens the store, starts the embedded broker, deploys the core (registry, state,
 * commands, adapters, HTTP). Stops in reverse order.
 */
public final class Application {
  private static final Logger LOG = LoggerFactory.getLogger(Application.class);

  private final GatewayConfig config;
  private Vertx vertx;
  private EmbeddedBroker broker;
  private CoreVerticle core;
  private List<DeviceDefinition> extraDevices = List.of();
  private boolean stopped;
  private String pairingCode;
  private io.hearth.gateway.ws.WsOptions wsOptions = io.hearth.gateway.ws.WsOptions.DEFAULTS;
  private io.hearth.gateway.events.EventLog.Limits eventLimits = io.hearth.gateway.events.EventLog.Limits.DEFAULTS;
  private io.hearth.gateway.security.SecurityLimits securityLimits =
      io.hearth.gateway.security.SecurityLimits.defaults();

  public Application(GatewayConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Devices registered like the devices file's entries, in addition to them (call before
   * {@link #start()}; the demo uses it): they vanish again on a start without them. An id the
   * devices file already uses is skipped (the file wins).
   */
  public Application extraDevices(List<DeviceDefinition> devices) {
    this.extraDevices = List.copyOf(devices);
    return this;
  }

  /** Other bounds for the app WebSocket and the event log (call before {@link #start()}; tests use it). */
  public Application webSocket(io.hearth.gateway.ws.WsOptions options, io.hearth.gateway.events.EventLog.Limits limits) {
    this.wsOptions = Objects.requireNonNull(options, "options");
    this.eventLimits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  /**
   * Other app API rate limits (call before {@link #start()}). Not a config key on purpose: only code
   * that embeds the gateway (tests, the benchmark) can lift the per-session command limit.
   */
  public Application securityLimits(io.hearth.gateway.security.SecurityLimits limits) {
    this.securityLimits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  /** Starts everything; completes once every listener accepts connections (the ready line is logged). */
  public Future<Void> start() {
    Map<String, Profile> profiles;
    List<DeviceDefinition> devices;
    SqliteStore store;
    DeviceCredentials credentials = new DeviceCredentials();
    Transports transports = GatewayTransports.create(credentials, () -> mqttOptions(credentials));
    try {
      profiles = ProfileLoader.loadFolder(config.profiles());
      devices = new ArrayList<>(DeviceFile.load(config.devices(), profiles, transports));
      prepareDataDir(config.dataDir());
      store = new SqliteStore(config.dataDir(), transports);
      pairingCode = PairingCode.ensure(config.pairingCode(), config.dataDir());
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    Set<String> fileIds = devices.stream().map(DeviceDefinition::id).collect(Collectors.toSet());
    extraDevices.stream().filter(d -> !fileIds.contains(d.id())).forEach(devices::add);
    vertx = Vertx.vertx(Metrics.vertxOptions(new VertxOptions()));
    Future<Void> brokerStarted = Future.succeededFuture();
    String mqttUrl = config.mqtt().url();
    if (config.mqtt().embedded().enabled()) {
      var e = config.mqtt().embedded();
      broker = new EmbeddedBroker(BrokerOptions.defaults(e.host(), e.port(), e.allowAnonymous(), config.dataDir())
          .withPersistent(e.persistent()),
          credentials);
      brokerStarted = broker.start(vertx);
    }
    core = new CoreVerticle(config, profiles, devices, store, transports);
    core.pairingCode(pairingCode);
    core.webSocket(wsOptions, eventLimits);
    core.securityLimits(securityLimits);
    return brokerStarted
        .compose(v -> vertx.deployVerticle(core))
        .onSuccess(v -> {
          LOG.info("Hearth ready http={} mqtt={} coap={}", core.httpUrl(), broker != null ? broker.url() : mqttUrl,
              core.coapUrl());
          if (core.security().pairingCodeUsed()) {
            LOG.info("pairing code already used (the owner is paired); for a new one set auth.pairingCode or"
                + " delete {} and restart", config.dataDir().resolve("pairing-code"));
          } else {
            LOG.info("pairing code: {} (single use; also in {})", pairingCode,
                config.dataDir().resolve("pairing-code"));
          }
        })
        .mapEmpty();
  }

  /**
   * Stops accepting, ends in-flight commands explicitly, flushes state, stops the broker and
   * Vert.x. Safe to call more than once, and after a failed start.
   */
  public synchronized Future<Void> stop() {
    if (stopped || vertx == null) {
      return Future.succeededFuture();
    }
    stopped = true;
    LOG.info("Hearth stopping");
    Future<Void> f = Future.succeededFuture();
    f = f.eventually(() -> vertx.undeploy(core.deploymentID() == null ? "" : core.deploymentID())
        .recover(e -> core.deploymentID() == null ? Future.succeededFuture() : Future.failedFuture(e)));
    if (broker != null) {
      f = f.eventually(() -> broker.stop(vertx));
    }
    return f.eventually(() -> vertx.close()).onComplete(r -> LOG.info("Hearth stopped"));
  }

  /** The bound HTTP port (for tests and the ready line). */
  public int httpPort() {
    return core.httpPort();
  }

  /** The bound port of the gateway's CoAP endpoint (resource directory). */
  public int coapPort() {
    return core.coapPort();
  }

  /** How the gateway's MQTT adapter connects: to the embedded broker as its own client, or as configured. */
  private MqttAdapterOptions mqttOptions(DeviceCredentials credentials) {
    MqttAdapterOptions options = MqttAdapterOptions.of(mqttUrl(), DeviceCredentials.GATEWAY_CLIENT_ID);
    return broker != null ? options.withCredentials(DeviceCredentials.GATEWAY_USER, credentials.gatewaySecret())
        : options.withCredentials(config.mqtt().username(), config.mqtt().password());
  }

  /** The MQTT broker URL devices use. */
  public String mqttUrl() {
    return broker != null ? broker.url() : config.mqtt().url();
  }

  public Vertx vertx() {
    return vertx;
  }

  private static void prepareDataDir(Path dir) {
    try {
      Files.createDirectories(dir);
      if (!Files.isWritable(dir)) {
        throw new ConfigException("config key 'data.dir': " + dir + " is not writable");
      }
    } catch (IOException e) {
      throw new ConfigException("config key 'data.dir': cannot create " + dir + ": " + e.getMessage());
    }
  }
}
