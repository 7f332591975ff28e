package io.hearth.gateway;

import io.hearth.adapter.DeviceAdapter;
import io.hearth.adapter.Transport;
import io.hearth.adapter.Transports;
import io.hearth.adapter.coap.CoapBinding;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.hearth.gateway.api.ApiLimits;
import io.hearth.gateway.api.ApiRouter;
import io.hearth.gateway.api.Metrics;
import io.hearth.gateway.coap.Discovery;
import io.hearth.gateway.coap.GatewayCoapServer;
import io.hearth.gateway.command.CommandService;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.core.GatewayCore;
import io.hearth.gateway.events.EventHub;
import io.hearth.gateway.events.EventLog;
import io.hearth.gateway.http.ApiHandlers;
import io.hearth.gateway.http.DiscoveryHandlers;
import io.hearth.gateway.registry.DeviceRegistry;
import io.hearth.gateway.security.Security;
import io.hearth.gateway.security.SecurityLimits;
import io.hearth.gateway.state.DeviceStates;
import io.hearth.gateway.store.AsyncStore;
import io.hearth.gateway.store.DeviceStateSnapshot;
import io.hearth.gateway.store.StateWriter;
import io.hearth.gateway.store.Store;
import io.hearth.gateway.ws.WsEndpoint;
import io.hearth.gateway.ws.WsOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PfxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway core on one Vert.x context: store, registry, state, commands, adapters and the app
 * API. Everything here runs on this verticle's event loop; the store runs on its own worker.
 */
final class CoreVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CoreVerticle.class);
  /** Meta key: "true" once a stop completed; "false" while running. */
  static final String META_CLEAN = "shutdown.clean";
  /** Version gap after an unclean stop, so a version lost with the last unflushed batch is never reused. */
  static final long UNCLEAN_VERSION_GAP = 1000;

  private final GatewayConfig config;
  private final Map<String, Profile> profiles;
  private final List<DeviceDefinition> configDevices;
  private final Store rawStore;
  private final Transports transports;
  private String pairingCode;
  private Security security;
  private WsOptions wsOptions = WsOptions.DEFAULTS;
  private EventLog.Limits eventLimits = EventLog.Limits.DEFAULTS;
  private SecurityLimits securityLimits = SecurityLimits.defaults();

  private AsyncStore store;
  private StateWriter writer;
  private EventHub events;
  private EventLog eventLog;
  private WsEndpoint ws;
  private DeviceStates states;
  private DeviceRegistry registry;
  private CommandService commands;
  private GatewayCore core;
  private final Map<String, DeviceAdapter> adapters = new LinkedHashMap<>();
  private HttpServer http;
  private Discovery discovery;
  private GatewayCoapServer coapServer;
  private long purgeTimer = -1;
  private List<io.micrometer.core.instrument.Meter> meters = List.of();

  CoreVerticle(GatewayConfig config, Map<String, Profile> profiles, List<DeviceDefinition> configDevices, Store store,
      Transports transports) {
    this.config = config;
    this.profiles = profiles;
    this.configDevices = configDevices;
    this.rawStore = store;
    this.transports = transports;
  }

  /** The first pairing code ({@code PairingCode.ensure}); set before deploying. */
  void pairingCode(String code) {
    this.pairingCode = code;
  }

  /** Tokens, origins and limits of the app API (for the WebSocket); null before start. */
  Security security() {
    return security;
  }

  /** The app WebSocket's bounds and the event log's (before deployment). */
  void webSocket(WsOptions options, EventLog.Limits limits) {
    this.wsOptions = options;
    this.eventLimits = limits;
  }

  /** Other rate limits of the app API (before deployment). */
  void securityLimits(SecurityLimits limits) {
    this.securityLimits = limits;
  }

  @Override
  public Future<?> start() {
    Clock clock = Clock.systemUTC();
    store = new AsyncStore(vertx, rawStore);
    writer = new StateWriter(vertx, store);
    registry = new DeviceRegistry(profiles, store);
    Map<String, DeviceStateSnapshot> restored = new HashMap<>();
    return store.open()
        .compose(v -> store.call(s -> {
          boolean clean = s.meta().get(META_CLEAN).map(Boolean::parseBoolean).orElse(true);
          s.meta().put(META_CLEAN, "false");
          return clean;
        }))
        .compose(clean -> {
          eventLog = new EventLog(vertx, store, clock, eventLimits);
          return eventLog.open(clean).map(hub -> clean);
        })
        .compose(clean -> {
          boolean unclean = !clean;
          events = eventLog.hub();
          states = new DeviceStates(clock, events, writer::stateChanged, writer::history);
          writer.start();
          return registry.load(configDevices)
              .compose(v -> store.call(s -> s.states().load()))
              .map(all -> {
                all.forEach((id, s) -> restored.put(id, unclean ? bump(s) : s));
                if (unclean) {
                  LOG.warn("previous run did not stop cleanly: device versions continue after a gap of {}",
                      UNCLEAN_VERSION_GAP);
                }
                return null;
              });
        })
        .compose(v -> {
          commands = new CommandService(vertx, clock, registry, states, adapters::get, store, events,
              config.commands());
          for (Transport t : transports.all()) {
            adapters.put(t.protocol(), t.newAdapter(context));
          }
          core = new GatewayCore(vertx, registry, states, commands, events, transports, adapters,
              config.commands().availabilityGraceMs());
          return commands.recover();
        })
        .compose(n -> core.start(restored))
        .compose(v -> {
          discovery = new Discovery(vertx, registry, core::availabilityChanged, clock);
          coapServer = new GatewayCoapServer(context, config.coap().host(), config.coap().port(), discovery);
          return coapServer.start().recover(e -> Future.failedFuture(new io.hearth.gateway.config.ConfigException(
              "coap.port " + config.coap().port() + " on " + config.coap().host() + " cannot be used: "
                  + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()))));
        })
        .compose(v -> Security.start(vertx, config, store, pairingCode, clock, id -> registry.get(id).isPresent(),
            securityLimits))
        .compose(sec -> {
          security = sec;
          meters = io.hearth.gateway.core.GatewayMeters.register(Metrics.meterRegistry(), registry, states, commands, core,
              events);
          purgeTimer = vertx.setPeriodic(5_000, PURGE_EVERY.toMillis(), t -> purge(clock));
          ApiHandlers handlers = new ApiHandlers(registry, states, commands, transports, core, this::health);
          Map<String, io.vertx.core.Handler<io.vertx.ext.web.RoutingContext>> ops = new HashMap<>(handlers.byOperationId());
          ops.put("metrics", Metrics.handler());
          ops.putAll(new DiscoveryHandlers(discovery, states).byOperationId());
          ops.putAll(security.handlers());
          ApiLimits limits = new ApiLimits(config.http().maxBodyBytes(), ApiLimits.DEFAULTS.maxJsonDepth(),
              ApiLimits.DEFAULTS.maxStringLength(), ApiLimits.DEFAULTS.maxNumberLength());
          return ApiRouter.create(vertx, ops, limits, security.guard());
        })
        .map(router -> {
          ws = new WsEndpoint(vertx, registry, states, commands, eventLog,
              security.webSocketAuthenticator(), wsOptions);
          // browsers send Origin: only the gateway's own origin and listed ones (http.allowedOrigins) may
          // open the socket, so a page elsewhere cannot ride on a user's session
          router.route(io.vertx.core.http.HttpMethod.GET, WsEndpoint.PATH).order(-2).handler(ctx -> {
            String origin = ctx.request().getHeader("Origin");
            if (sameOrigin(origin, ctx.request().authority()) || security.origins().allowed(origin)) {
              ctx.next();
            } else {
              io.hearth.gateway.api.Problems.send(ctx, new io.hearth.gateway.api.ApiException(
                  io.hearth.gateway.api.ErrorCode.FORBIDDEN, "origin not allowed"));
            }
          });
          ws.mount(router);
          return router;
        })
        .compose(router -> {
          HttpServerOptions options = new HttpServerOptions().setHost(config.http().host()).setPort(config.http().port())
              .setTcpNoDelay(true).setCompressionSupported(true).setIdleTimeout(120);
          ws.configure(options);
          GatewayConfig.Tls tls = config.http().tls();
          if (tls.enabled() && tls.keyStore() != null) {
            options.setSsl(true).setKeyCertOptions(tls.keyStore().endsWith(".jks")
                ? new JksOptions().setPath(tls.keyStore()).setPassword(tls.password())
                : new PfxOptions().setPath(tls.keyStore()).setPassword(tls.password()));
          } else if (tls.enabled()) {
            options.setSsl(true).setKeyCertOptions(security.tls().orElseThrow().keyCertOptions());
          }
          return vertx.createHttpServer(options).requestHandler(router).listen()
              .recover(e -> Future.failedFuture(new io.hearth.gateway.config.ConfigException(
                  "http.port " + config.http().port() + " on " + config.http().host() + " cannot be used: "
                      + e.getMessage())));
        })
        .onSuccess(server -> http = server);
  }

  /** True if the Origin header names this server's own scheme-less authority (host:port). */
  static boolean sameOrigin(String origin, io.vertx.core.net.HostAndPort authority) {
    if (origin == null || authority == null) {
      return false;
    }
    try {
      java.net.URI u = java.net.URI.create(origin);
      int port = u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
      int own = authority.port() >= 0 ? authority.port() : port;
      return authority.host().equalsIgnoreCase(u.getHost()) && own == port;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static DeviceStateSnapshot bump(DeviceStateSnapshot s) {
    return new DeviceStateSnapshot(s.deviceId(), s.state(), s.pending(), s.updatedAt(),
        s.version() + UNCLEAN_VERSION_GAP, s.online(), s.availabilityReason(), s.lastSeen());
  }

  /** How often old data is purged, and how long it is kept. */
  static final Duration PURGE_EVERY = Duration.ofHours(1);
  static final Duration KEEP_COMMANDS = Duration.ofDays(7);
  static final Duration KEEP_HISTORY = Duration.ofDays(30);

  private void purge(Clock clock) {
    java.time.Instant now = clock.instant();
    commands.purgeIdempotency()
        .compose(n -> security.purge())
        .compose(n -> store.call(s -> s.commands().purge(now.minus(KEEP_COMMANDS))
            + s.states().purgeHistory(now.minus(KEEP_HISTORY))))
        .onSuccess(n -> LOG.debug("purged old rows [count: {}]", n))
        .onFailure(e -> LOG.warn("purge failed: {}", e.getMessage()));
  }

  private Future<Map<String, String>> health() {
    Map<String, String> parts = new LinkedHashMap<>();
    for (String protocol : transports.protocols()) {
      DeviceAdapter a = adapters.get(protocol);
      parts.put(protocol, a != null && a.isUp() ? "up" : "down");
    }
    // the gateway's own CoAP endpoint (discovery) is part of CoAP being up
    parts.computeIfPresent(CoapBinding.PROTOCOL, (p, up) -> coapServer != null && coapServer.isUp() ? up : "down");
    return store.call(s -> s.meta().get(META_CLEAN))
        .timeout(2, java.util.concurrent.TimeUnit.SECONDS)
        .transform(r -> {
          parts.put("store", r.succeeded() ? "up" : "down");
          return Future.succeededFuture(parts);
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(purgeTimer);
    meters.forEach(Metrics.meterRegistry()::remove);
    if (ws != null) {
      ws.close();
    }
    // answer every in-flight command first (new ones are refused from now on), then let the HTTP
    // server finish its exchanges, so a client waiting on a command gets its answer, not a reset
    Future<Void> f = commands == null ? Future.succeededFuture() : commands.shutdown();
    return f
        .eventually(() -> http == null ? Future.succeededFuture() : http.shutdown(Duration.ofSeconds(5)))
        .eventually(() -> coapServer == null ? Future.succeededFuture() : coapServer.stop())
        .eventually(() -> Future.join(adapters.values().stream().map(DeviceAdapter::stop).toList()))
        .eventually(() -> {
          if (states != null) {
            states.snapshots().forEach(writer::stateChanged);
          }
          return writer == null ? Future.succeededFuture() : writer.close();
        })
        .eventually(() -> eventLog == null ? Future.succeededFuture() : eventLog.close())
        .eventually(() -> events == null ? Future.succeededFuture()
            : store.run(s -> s.meta().put(META_CLEAN, "true")))
        .eventually(() -> store.close())
        .onComplete(r -> LOG.info("core stopped [cleanly: {}]", r.succeeded()));
  }

  String httpUrl() {
    return (config.http().tls().enabled() ? "https" : "http") + "://" + config.http().host() + ":" + httpPort();
  }

  /** The gateway's CoAP endpoint, {@code coap://host:port} with the bound port. */
  String coapUrl() {
    return coapServer == null ? "off" : coapServer.url();
  }

  int coapPort() {
    return coapServer == null ? -1 : coapServer.port();
  }

  int httpPort() {
    return http == null ? -1 : http.actualPort();
  }

  Duration grace() {
    return Duration.ofMillis(config.commands().availabilityGraceMs());
  }
}
