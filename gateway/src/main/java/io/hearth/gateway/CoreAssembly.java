package io.hearth.gateway;

import io.hearth.adapter.DeviceAdapter;
import io.hearth.adapter.Transport;
import io.hearth.adapter.coap.CoapBinding;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.adapter.mqtt.MqttTransport;
import io.hearth.gateway.api.Metrics;
import io.hearth.gateway.automation.AutomationSetup;
import io.hearth.gateway.coap.Discovery;
import io.hearth.gateway.coap.GatewayCoapServer;
import io.hearth.gateway.command.CommandService;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.core.GatewayCore;
import io.hearth.gateway.core.GatewayMeters;
import io.hearth.gateway.discovery.Approvals;
import io.hearth.gateway.discovery.PendingDevices;
import io.hearth.gateway.events.EventLog;
import io.hearth.gateway.http.ApiHandlers;
import io.hearth.gateway.http.AutomationHandlers;
import io.hearth.gateway.http.BridgeHandlers;
import io.hearth.gateway.http.DiscoveryHandlers;
import io.hearth.gateway.http.Health;
import io.hearth.gateway.http.HttpEdge;
import io.hearth.gateway.history.HistoryFeature;
import io.hearth.gateway.scenes.AutomationScenes;
import io.hearth.gateway.scenes.SceneHandlers;
import io.hearth.gateway.scenes.SceneService;
import io.hearth.gateway.homeassistant.HomeAssistantBridge;
import io.hearth.gateway.lifecycle.Component;
import io.hearth.gateway.lifecycle.Lifecycle;
import io.hearth.gateway.lifecycle.StartException;
import io.hearth.gateway.registry.BridgeRegistry;
import io.hearth.gateway.relay.RelayAccess;
import io.hearth.gateway.registry.DeviceRegistry;
import io.hearth.gateway.security.Security;
import io.hearth.gateway.state.AvailabilityTimeouts;
import io.hearth.gateway.state.DeviceStates;
import io.hearth.gateway.store.AsyncStore;
import io.hearth.gateway.store.StoreHealthProbe;
import io.hearth.gateway.store.DeviceStateSnapshot;
import io.hearth.gateway.store.SqliteStore;
import io.hearth.gateway.store.StateWriter;
import io.hearth.gateway.store.StoreMeters;
import io.hearth.gateway.ws.WsEndpoint;
import io.micrometer.core.instrument.Meter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's composition root: one factory method per collaborator, wired by hand, and the
 * {@link #lifecycle()} that starts them in order and stops them in reverse. Everything runs on the
 * core verticle's context (the store on its own worker). The order is listed in
 * {@code gateway/README.md} ("Start and stop"); what a stop means for a user, {@code docs/operations.md}.
 *
 * <p>The order is the contract of a start and a stop: the store opens first and closes last; the
 * run is marked unclean until the event log and the state are flushed; in-flight commands are
 * answered before the HTTP server lets its exchanges finish, and the HTTP server goes before the
 * device transports.
 */
final class CoreAssembly {
  private static final Logger LOG = LoggerFactory.getLogger(CoreAssembly.class);
  /** Meta key: "true" once a stop completed; "false" while running. */
  static final String META_CLEAN = "shutdown.clean";
  /** Version gap after an unclean stop, so a version lost with the last unflushed batch is never reused. */
  static final long UNCLEAN_VERSION_GAP = 1000;
  /** How often old data is purged, and how long it is kept. */
  static final Duration PURGE_EVERY = Duration.ofHours(1);

  private final Vertx vertx;
  private final Context context;
  private final CoreSettings settings;
  private final GatewayConfig config;
  private final Clock clock = Clock.systemUTC();

  private final AsyncStore store;
  private final StoreHealthProbe storeProbe;
  private final StateWriter writer;
  private final DeviceRegistry registry;
  private final BridgeRegistry bridges;
  private final EventLog eventLog;
  private final PendingDevices pending;
  private final Map<String, DeviceAdapter> adapters = new LinkedHashMap<>();
  private final Map<String, DeviceStateSnapshot> restored = new HashMap<>();
  private final Lifecycle lifecycle;

  // made during the start, once what they need exists
  private boolean previousStopClean;
  private boolean restoredStatesTracked;
  private DeviceStates states;
  private CommandService commands;
  private GatewayCore core;
  private Discovery discovery;
  private GatewayCoapServer coapServer;
  private Security security;
  private HttpEdge edge;
  private RelayAccess relay;
  private long purgeTimer = -1;
  private HomeAssistantBridge homeAssistant;
  private AutomationSetup automations;
  private HistoryFeature history;
  private SceneService scenes;
  private List<Meter> meters = List.of();
  private final Future<Void> brokerReady;

  CoreAssembly(Vertx vertx, Context context, CoreSettings settings) {
    this(vertx, context, settings, Future.succeededFuture());
  }

  /**
   * @param brokerReady completes once the embedded broker accepts connections: the store, the
   *                    registry and the commands start while it starts; the adapters wait for it
   */
  CoreAssembly(Vertx vertx, Context context, CoreSettings settings, Future<Void> brokerReady) {
    this.brokerReady = Objects.requireNonNull(brokerReady, "brokerReady");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.context = Objects.requireNonNull(context, "context");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.config = settings.config();
    this.store = new AsyncStore(vertx, settings.store(), config.durability());
    this.storeProbe = new StoreHealthProbe(vertx, store, config.recovery().healthProbeIntervalMs());
    this.writer = new StateWriter(vertx, store);
    this.registry = new DeviceRegistry(settings.profiles(), store, settings.transports()::supports);
    this.bridges = new BridgeRegistry(mqtt(), store);
    this.eventLog = new EventLog(vertx, store, clock, settings.eventLimits());
    this.pending = new PendingDevices(registry, settings.transports(), config.discovery().maxPending());
    this.lifecycle = Lifecycle.of("core",
        Component.of("store", this::openStore, store::close),
        Component.of("store health probe", storeProbe::start, storeProbe::stop),
        Component.of("event log", this::openEventLog, this::closeEventLog),
        Component.of("state writer", this::startStates, this::flushStates),
        Component.onStart("bridges", () -> bridges.load()), // before the devices that name them
        Component.onStart("registry", this::loadRegistry),
        Component.onStart("commands", this::recoverCommands),
        Component.of("adapters", this::startAdapters, this::stopAdapters),
        Component.of("coap server", this::startCoapServer, () -> coapServer.stop()),
        Component.onStart("security", this::startSecurity),
        Component.of("http", this::startHttp, () -> edge.stop()),
        // remote access (docs/relay.md): forwards to the HTTP server, so it starts after it and stops before
        Component.of("relay tunnel", () -> relay.start(config.http().host(), edge.port(), config.http().tls().enabled()),
            () -> relay.stop()),
        // stopped after the in-flight commands have ended, so every outcome is queued to the apps
        // first; each socket closes once its queue has gone out (bounded), docs/websocket.md
        Component.onStop("websockets", () -> {
          edge.closeWebSockets();
          return Future.succeededFuture();
        }),
        // stopped before the HTTP server lets its exchanges finish, so a client waiting on a
        // command gets its answer, not a reset; new commands are refused from then on
        Component.onStop("in-flight commands", () -> commands.shutdown()),
        Component.of("housekeeping", this::startHousekeeping, this::stopHousekeeping),
        // armed once everything runs; stopped first, so runs under way are recorded interrupted
        Component.of("automations", () -> automations.start(), () -> automations.stop()),
        // last: it publishes the devices once everything runs, and says offline first on a stop
        Component.of("home assistant", this::startHomeAssistant, () -> homeAssistant == null ? Future.succeededFuture() : homeAssistant.stop()));
  }

  /** The parts in start order; stopped in reverse. */
  Lifecycle lifecycle() {
    return lifecycle;
  }

  private MqttTransport mqtt() {
    return (MqttTransport) settings.transports().find(MqttBinding.PROTOCOL).orElseThrow();
  }

  // ---- the components' steps, in start order

  private Future<Void> openStore() {
    // a store that fails to open is closed again (its stop runs only after a good start)
    return store.open().recover(e -> store.close().transform(r -> Future.failedFuture(e)));
  }

  private Future<Void> openEventLog() {
    return store.call(s -> {
      boolean clean = s.meta().get(META_CLEAN).map(Boolean::parseBoolean).orElse(true);
      s.meta().put(META_CLEAN, "false");
      return clean;
    }).compose(clean -> {
      previousStopClean = clean;
      return eventLog.open(clean);
    }).mapEmpty();
  }

  private Future<Void> closeEventLog() {
    if (!previousStopClean && !restoredStatesTracked) {
      // a start that failed before the restored states (with their version gap) were tracked, and
      // so flushed, leaves the mark unclean: the next start applies the gap again
      return eventLog.close();
    }
    // the run counts as clean once the state and the events are flushed
    return eventLog.close().eventually(() -> store.run(s -> s.meta().put(META_CLEAN, "true")));
  }

  private Future<Void> startStates() {
    history = HistoryFeature.start(vertx, store, clock, config.history(), registry, writer::history);
    states = new DeviceStates(clock, eventLog.hub(), writer::stateChanged, history.recorder());
    writer.start();
    return Future.succeededFuture();
  }

  private Future<Void> flushStates() {
    states.snapshots().forEach(writer::stateChanged);
    history.stop(); // its waiting points go to the writer first
    return writer.close();
  }

  private Future<Void> loadRegistry() {
    return registry.load(settings.devices())
        .compose(v -> store.call(s -> s.states().load()))
        .map(all -> {
          boolean unclean = !previousStopClean;
          all.forEach((id, s) -> restored.put(id, unclean ? bump(s) : s));
          if (unclean) {
            LOG.warn("previous run did not stop cleanly: device versions continue after a gap of {}",
                UNCLEAN_VERSION_GAP);
          }
          return null;
        });
  }

  private Future<Integer> recoverCommands() {
    commands = new CommandService(vertx, clock, registry, states, adapters::get, store, eventLog.hub(),
        config.commands(), config.recovery(), config.commandFlow().maxInFlightPerDevice());
    return commands.recover();
  }

  private Future<Void> startAdapters() {
    Promise<Void> broker = Promise.promise();
    brokerReady.onComplete(ar -> context.runOnContext(v -> broker.handle(ar))); // back on the core's context
    return broker.future().compose(v -> createAdapters());
  }

  private Future<Void> createAdapters() {
    for (Transport t : settings.transports().all()) {
      adapters.put(t.protocol(), t.newAdapter(context));
    }
    core = new GatewayCore(vertx, registry, states, commands, eventLog.hub(), settings.transports(), adapters,
        new AvailabilityTimeouts(vertx, clock, states, config.availability()), config.commands().availabilityGraceMs(),
        pending);
    Future<Void> started = core.start(restored);
    restoredStatesTracked = true; // GatewayCore.start tracks them before anything else
    return started;
  }

  private Future<Void> stopAdapters() {
    core.stop();
    return Future.join(adapters.values().stream().map(DeviceAdapter::stop).toList()).mapEmpty();
  }

  private Future<Void> startCoapServer() {
    GatewayConfig.Coap coap = config.coap();
    discovery = new Discovery(vertx, registry, core::availabilityChanged, pending, clock,
        config.limits().input().coapMaxRegistrations());
    coapServer = new GatewayCoapServer(context, coap.host(), coap.port(), discovery);
    return coapServer.start().recover(e -> coapServer.stop().transform(r -> Future.failedFuture(
        StartException.portUnusable("coap.port", coap.port(), coap.host(),
            e.getCause() != null ? e.getCause().getMessage() : e.getMessage()))));
  }

  private Future<Void> startSecurity() {
    return Security.start(vertx, config, store, settings.pairingCode(), clock, id -> registry.get(id).isPresent(),
        settings.securityLimits()).map(s -> {
          security = s;
          return null;
        });
  }

  private Future<Void> startHttp() {
    WsEndpoint ws = new WsEndpoint(vertx, registry, states, commands, eventLog, security.webSocketAuthenticator(),
        settings.wsOptions());
    ApiHandlers api = new ApiHandlers(registry, states, commands, settings.transports(), health()::check);
    relay = RelayAccess.create(vertx, config, clock, eventLog.hub(),
        id -> registry.get(id).map(d -> d.definition().name()).orElse(id));
    scenes = new SceneService(store, clock, registry, states, commands, eventLog.hub());
    automations = new AutomationSetup(context, clock, config.automations(), store, eventLog.hub(), registry, states,
        commands, new AutomationScenes(scenes));
    Map<String, Handler<RoutingContext>> features = new HashMap<>(relay.handlers());
    features.putAll(new AutomationHandlers(automations.automations()).byOperationId());
    features.putAll(history.handlers(registry).byOperationId());
    features.putAll(new SceneHandlers(scenes).byOperationId());
    edge = new HttpEdge(vertx, config.http(), config.limits(), security, ws,
        api, new DiscoveryHandlers(pending, new Approvals(pending, registry, settings.transports()), states),
        new BridgeHandlers(bridges, registry, mqtt()), features);
    return edge.start();
  }

  private Health health() {
    Map<String, BooleanSupplier> transports = new LinkedHashMap<>();
    for (String protocol : settings.transports().protocols()) {
      transports.put(protocol, () -> adapters.get(protocol).isUp());
    }
    // the gateway's own CoAP endpoint (discovery) is part of CoAP being up
    transports.computeIfPresent(CoapBinding.PROTOCOL, (p, up) -> () -> up.getAsBoolean() && coapServer.isUp());
    // the store's own record of its last writes (a full disk still answers reads), and a read
    // that must come back within 2 s (a hung store thread or file system answers nothing)
    return new Health(transports, () -> store.call(s -> s.meta().get(META_CLEAN))
        .timeout(2, TimeUnit.SECONDS)
        .transform(r -> Future.succeededFuture(r.succeeded() ? store.health().summary() : "down (not answering)")));
  }

  private Future<Void> startHousekeeping() {
    meters = GatewayMeters.register(Metrics.meterRegistry(), registry, states, commands, core, eventLog.hub());
    if (settings.store() instanceof SqliteStore sqlite) {
      meters = Stream.concat(meters.stream(), StoreMeters.register(Metrics.meterRegistry(), sqlite.commitStats()).stream())
          .toList();
    }
    purgeTimer = vertx.setPeriodic(5_000, PURGE_EVERY.toMillis(), t -> purge());
    return Future.succeededFuture();
  }

  private Future<Void> startHomeAssistant() {
    if (settings.homeAssistant() == null) {
      homeAssistant = null;
      return Future.succeededFuture();
    }
    homeAssistant = new HomeAssistantBridge(context, settings.homeAssistant(), registry, states, commands,
        eventLog.hub(), security::commandRetryAfter);
    return homeAssistant.start();
  }

  private Future<Void> stopHousekeeping() {
    vertx.cancelTimer(purgeTimer);
    meters.forEach(Metrics.meterRegistry()::remove);
    return Future.succeededFuture();
  }

  private void purge() {
    Instant now = clock.instant();
    Duration keepCommands = Duration.ofDays(config.limits().lifetimes().commandRetentionDays());
    commands.purgeIdempotency()
        .compose(n -> security.purge())
        .compose(n -> store.call(s -> s.commands().purge(now.minus(keepCommands))
            + history.retention().apply(s.history(), now)))
        .compose(n -> automations.purge().map(m -> n + m))
        .onSuccess(n -> LOG.debug("purged old rows [count: {}]", n))
        .onFailure(e -> LOG.warn("purge failed: {}", e.getMessage()));
  }

  private static DeviceStateSnapshot bump(DeviceStateSnapshot s) {
    return new DeviceStateSnapshot(s.deviceId(), s.state(), s.pending(), s.updatedAt(),
        s.version() + UNCLEAN_VERSION_GAP, s.online(), s.availabilityReason(), s.lastSeen());
  }

  // ---- what the application reports once started

  /** Scenes (docs/scenes.md), e.g. for automations' scene actions; null before the HTTP component started. */
  SceneService scenes() {
    return scenes;
  }

  /** Tokens, origins and limits of the app API; null before the security component started. */
  Security security() {
    return security;
  }

  String httpUrl() {
    return edge == null ? "off" : edge.url();
  }

  int httpPort() {
    return edge == null ? -1 : edge.port();
  }

  /** The gateway's CoAP endpoint, {@code coap://host:port} with the bound port. */
  String coapUrl() {
    return coapServer == null ? "off" : coapServer.url();
  }

  int coapPort() {
    return coapServer == null ? -1 : coapServer.port();
  }
}
