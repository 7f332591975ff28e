package io.hearth.gateway;

import io.hearth.adapter.Transports;
import io.hearth.adapter.mqtt.MqttAdapterOptions;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.adapter.mqtt.MqttBridge;
import io.hearth.adapter.mqtt.MqttTransport;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.hearth.gateway.api.Metrics;
import io.hearth.gateway.backup.BackupWriter;
import io.hearth.gateway.backup.DailyBackup;
import io.hearth.gateway.backup.DataDirLock;
import io.hearth.gateway.broker.BrokerMeters;
import io.hearth.gateway.broker.DeviceCredentials;
import io.hearth.gateway.broker.EmbeddedBroker;
import io.hearth.gateway.config.ConfigException;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.core.InstallationId;
import io.hearth.gateway.core.PairingCode;
import io.hearth.gateway.events.EventLog;
import io.hearth.gateway.homeassistant.HomeAssistantSettings;
import io.hearth.gateway.lifecycle.Component;
import io.hearth.gateway.lifecycle.Lifecycle;
import io.hearth.gateway.profile.ProfileLoader;
import io.hearth.gateway.registry.DeviceFile;
import io.hearth.gateway.security.SecurityLimits;
import io.hearth.gateway.store.SqliteStore;
import io.hearth.gateway.ws.WsOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hearth as a whole: checks the configuration, then starts the embedded broker (when enabled) and
 * the core ({@link CoreAssembly}: store, registry, state, commands, adapters, HTTP) in that order,
 * and stops them in reverse. Built with {@link #builder(GatewayConfig)}:
 *
 * <pre>{@code
 * Application app = Application.builder(config)
 *     .securityLimits(limits)            // optional: bounds only embedding code may change
 *     .build();
 * app.start();                           // completes once every listener accepts connections
 * app.stop();
 * }</pre>
 */
public final class Application {
  private static final Logger LOG = LoggerFactory.getLogger(Application.class);

  private final GatewayConfig config;
  private final WsOptions wsOptions;
  private final EventLog.Limits eventLimits;
  private final SecurityLimits securityLimits;
  private final List<DeviceDefinition> extraDevices;
  private final List<MqttBridge> extraBridges;
  private final Path configFile;
  private DataDirLock dataLock;
  private Vertx vertx;
  private EmbeddedBroker broker;
  private CoreVerticle core;
  private Lifecycle lifecycle;
  private volatile String mqttClientId;
  private boolean stopped;

  private Application(Builder b) {
    this.config = b.config;
    this.wsOptions = b.wsOptions;
    this.eventLimits = b.eventLimits;
    this.securityLimits = b.securityLimits;
    this.extraDevices = List.copyOf(b.extraDevices);
    this.extraBridges = List.copyOf(b.extraBridges);
    this.configFile = b.configFile;
  }

  /** A builder for the gateway of {@code config}, with the default bounds and no extra devices. */
  public static Builder builder(GatewayConfig config) {
    return new Builder(config);
  }

  /** What an {@link Application} is made of besides its configuration file. */
  public static final class Builder {
    private final GatewayConfig config;
    private WsOptions wsOptions;
    private EventLog.Limits eventLimits;
    private SecurityLimits securityLimits;
    private List<DeviceDefinition> extraDevices = List.of();
    private List<MqttBridge> extraBridges = List.of();
    private Path configFile;

    private Builder(GatewayConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      this.wsOptions = ConfiguredLimits.ws(config.limits().ws());
      this.eventLimits = ConfiguredLimits.events(config.limits().events());
      this.securityLimits = ConfiguredLimits.security(config.limits().rates(), config.commandFlow());
    }

    /** Other bounds for the app WebSocket and the event log than the configured ones (tests use it). */
    public Builder webSocket(WsOptions options, EventLog.Limits limits) {
      this.wsOptions = Objects.requireNonNull(options, "options");
      this.eventLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Other app API rate limits than the configured ones ({@code rateLimits.*} and the per-session
     * command limit {@code commands.sessionRatePerSecond}, {@code commands.sessionBurst}); code that
     * embeds the gateway (tests, the benchmark) uses it.
     */
    public Builder securityLimits(SecurityLimits limits) {
      this.securityLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Devices registered like the devices file's entries, in addition to them (the demo uses it):
     * they vanish again on a start without them. An id the devices file already uses is skipped
     * (the file wins).
     */
    public Builder extraDevices(List<DeviceDefinition> devices) {
      this.extraDevices = List.copyOf(devices);
      return this;
    }

    /**
     * Zigbee2MQTT bridges declared like the devices file's {@code bridges:} (the demo uses it), for
     * extra devices behind them; a bridge the devices file declares with the same id wins.
     */
    public Builder extraBridges(List<MqttBridge> bridges) {
      this.extraBridges = List.copyOf(bridges);
      return this;
    }

    /** The config file the configuration came from, for the daily backup to include (docs/backup.md). */
    public Builder configFile(Path file) {
      this.configFile = file;
      return this;
    }

    public Application build() {
      return new Application(this);
    }
  }

  /**
   * Starts everything; completes once every listener accepts connections (the ready line is logged).
   * A start that fails stops what it had started and closes Vert.x again.
   */
  public Future<Void> start() {
    Map<String, Profile> profiles;
    List<DeviceDefinition> devices;
    SqliteStore store;
    String pairingCode;
    DeviceCredentials credentials = new DeviceCredentials();
    Transports transports = GatewayTransports.create(credentials, () -> mqttOptions(credentials),
        ConfiguredLimits.coap(config.limits().coap()), config.mqtt().embedded().enabled());
    try {
      profiles = ProfileLoader.withBuiltIns(config.profiles());
      MqttTransport mqtt = (MqttTransport) transports.find(MqttBinding.PROTOCOL).orElseThrow();
      extraBridges.forEach(b -> mqtt.addBridge(b.withFromConfig(true))); // the file's, read next, replace them
      devices = withExtraDevices(config.devices() == null ? List.of()
          : DeviceFile.load(config.devices(), profiles, transports));
      prepareDataDir(config.dataDir());
      dataLock = lockDataDir(config.dataDir());
      store = new SqliteStore(config.dataDir(), transports, config.durability().level());
      pairingCode = PairingCode.ensure(config.pairingCode(), config.dataDir());
      mqttClientId = InstallationId.mqttClientId(InstallationId.ensure(config.dataDir()));
    } catch (RuntimeException e) {
      releaseDataDir();
      return Future.failedFuture(e);
    }
    vertx = Vertx.vertx(Metrics.vertxOptions(new VertxOptions()));
    List<Component> parts = new ArrayList<>();
    if (config.mqtt().embedded().enabled()) {
      var e = config.mqtt().embedded();
      broker = new EmbeddedBroker(ConfiguredLimits.broker(e, config.limits().broker(), config.dataDir()), credentials);
      BrokerMeters.register(Metrics.meterRegistry(), broker.stats());
    }
    CoreSettings settings = new CoreSettings(config, profiles, devices, store, transports, pairingCode, wsOptions,
        eventLimits, securityLimits, homeAssistant(credentials));
    parts.add(Component.of(broker == null ? "core" : "embedded broker and core", () -> startBrokerAndCore(settings),
        this::stopCoreAndBroker));
    DailyBackup daily = new DailyBackup(config, new BackupWriter(config, configFile, java.time.Clock.systemUTC()),
        java.time.Clock.systemUTC(), java.time.ZoneId.systemDefault(), DailyBackup.onVertx(vertx),
        Metrics.meterRegistry());
    parts.add(Component.of("daily backup", daily::start, daily::stop));
    lifecycle = Lifecycle.of("hearth", parts);
    return lifecycle.start()
        .onSuccess(v -> logReady(pairingCode))
        .recover(e -> vertx.close().eventually(() -> {
          releaseDataDir();
          return Future.succeededFuture();
        }).transform(r -> Future.failedFuture(e)));
  }

  /**
   * The embedded broker and the core start side by side: the store opens and the registry and
   * states load while HiveMQ starts (docs/benchmarks.md, "Memory and start"); the core's adapters
   * wait for the broker. A failure of either stops the other; the broker's failure is the one told.
   */
  private Future<Void> startBrokerAndCore(CoreSettings settings) {
    Future<Void> brokerStarted = broker == null ? Future.succeededFuture() : broker.start(vertx);
    core = new CoreVerticle(settings, brokerStarted);
    Future<String> deployed = vertx.deployVerticle(core);
    return Future.join(brokerStarted, deployed).<Void>mapEmpty().recover(e -> {
      Throwable cause = brokerStarted.failed() ? brokerStarted.cause() : deployed.cause();
      Future<Void> undone = brokerStarted.succeeded() && broker != null ? broker.stop(vertx) : Future.succeededFuture();
      return undone.transform(r -> Future.failedFuture(cause));
    });
  }

  /** The core first, then the broker (also when the core did not stop cleanly); either's failure is told. */
  private Future<Void> stopCoreAndBroker() {
    return vertx.undeploy(core.deploymentID()).transform(coreStop -> {
      Future<Void> brokerStop = broker == null ? Future.succeededFuture() : broker.stop(vertx);
      return brokerStop.transform(r -> coreStop.failed() ? Future.failedFuture(coreStop.cause())
          : r.failed() ? Future.failedFuture(r.cause()) : Future.<Void>succeededFuture());
    });
  }

  private List<DeviceDefinition> withExtraDevices(List<DeviceDefinition> fromFile) {
    List<DeviceDefinition> all = new ArrayList<>(fromFile);
    Set<String> fileIds = fromFile.stream().map(DeviceDefinition::id).collect(Collectors.toSet());
    for (DeviceDefinition d : extraDevices) {
      if (fileIds.contains(d.id())) {
        LOG.info("extra device skipped: the devices file uses its id [device: {}]", d.id());
      } else {
        all.add(d);
      }
    }
    return all;
  }

  private void logReady(String pairingCode) {
    CoreAssembly c = core.assembly();
    LOG.info("Hearth ready http={} mqtt={} coap={}", c.httpUrl(), mqttUrl(), c.coapUrl());
    if (c.security().pairingCodeUsed()) {
      LOG.info("pairing code already used (the owner is paired); for a new one set auth.pairingCode or"
          + " delete {} and restart", config.dataDir().resolve("pairing-code"));
    } else {
      LOG.info("pairing code: {} (single use; also in {})", pairingCode, config.dataDir().resolve("pairing-code"));
    }
  }

  /**
   * Stops accepting, ends in-flight commands explicitly, flushes state, stops the broker and
   * Vert.x. Safe to call more than once, and after a failed start. Fails if a part did not stop
   * cleanly (Vert.x is closed all the same).
   */
  public synchronized Future<Void> stop() {
    if (stopped || lifecycle == null) {
      return Future.succeededFuture();
    }
    stopped = true;
    LOG.info("Hearth stopping");
    return lifecycle.stop()
        .eventually(() -> vertx.close())
        .eventually(() -> {
          releaseDataDir();
          return Future.succeededFuture();
        })
        .onComplete(r -> LOG.info("Hearth stopped"));
  }

  /** The bound HTTP port (for tests and the ready line). */
  public int httpPort() {
    return core == null || core.assembly() == null ? -1 : core.assembly().httpPort();
  }

  /** The bound port of the gateway's CoAP endpoint (resource directory). */
  public int coapPort() {
    return core == null || core.assembly() == null ? -1 : core.assembly().coapPort();
  }

  /** How the gateway's MQTT adapter connects: to the embedded broker as its own client, or as configured. */
  private MqttAdapterOptions mqttOptions(DeviceCredentials credentials) {
    GatewayConfig.Link link = config.mqtt().link();
    MqttAdapterOptions options = MqttAdapterOptions.of(mqttUrl(), mqttClientId).withLink(
        Duration.ofSeconds(link.connectTimeoutSeconds()), Duration.ofSeconds(link.keepAliveSeconds()),
        Duration.ofSeconds(link.sessionExpirySeconds()));
    options = ConfiguredLimits.mqtt(options, config.limits().transport());
    return broker != null ? options.withCredentials(DeviceCredentials.GATEWAY_USER, credentials.gatewaySecret())
        : options.withCredentials(config.mqtt().username(), config.mqtt().password());
  }

  /**
   * The Home Assistant bridge's settings, or null when it is off: its own MQTT client
   * ({@code <gateway client id>-ha}) with the gateway's credentials; with the embedded broker, the
   * accounts to let Home Assistant's user in (docs/home-assistant.md).
   */
  private HomeAssistantSettings homeAssistant(DeviceCredentials credentials) {
    GatewayConfig.HomeAssistant ha = config.homeAssistant();
    if (!ha.enabled()) {
      return null;
    }
    String installation = mqttClientId.substring(DeviceCredentials.GATEWAY_CLIENT_ID.length() + 1);
    return new HomeAssistantSettings(ha, () -> {
      MqttAdapterOptions o = mqttOptions(credentials);
      return new MqttAdapterOptions(o.serverUri(), o.clientId() + "-ha", o.username(), o.password(),
          o.maxInflight(), o.connectTimeout(), o.keepAlive(), o.reconnectMinDelay(), o.reconnectMaxDelay(),
          o.sessionExpiry());
    }, broker != null ? credentials : null, installation, version());
  }

  /** How long a stop may take before the process exits anyway ({@code shutdown.timeoutSeconds}). */
  public Duration stopTimeout() {
    return Duration.ofSeconds(config.limits().lifetimes().shutdownTimeoutSeconds());
  }

  /** Hearth's version from the jar's manifest, or {@code dev} when run from classes. */
  static String version() {
    String v = Application.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** The gateway's own MQTT client id ({@code hearth-gateway-<installation id>}), once started. */
  public String mqttClientId() {
    return mqttClientId;
  }

  /** The MQTT broker URL devices use. */
  public String mqttUrl() {
    return broker != null ? broker.url() : config.mqtt().url();
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Holds the data dir's lock while the gateway runs: a restore and a second gateway are refused. */
  private static DataDirLock lockDataDir(Path dir) {
    try {
      return DataDirLock.acquire(dir);
    } catch (IOException e) {
      throw new ConfigException("config key 'data.dir': cannot write the lock file in " + dir + ": " + e.getMessage());
    }
  }

  private synchronized void releaseDataDir() {
    if (dataLock != null) {
      dataLock.close();
      dataLock = null;
    }
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
