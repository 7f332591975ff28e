package io.hearth.gateway.http;

import io.hearth.gateway.api.ApiException;
import io.hearth.gateway.api.ApiLimits;
import io.hearth.gateway.api.ApiRouter;
import io.hearth.gateway.api.ErrorCode;
import io.hearth.gateway.api.Metrics;
import io.hearth.gateway.api.Problems;
import io.hearth.gateway.lifecycle.StartException;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.security.Security;
import io.hearth.gateway.ws.WsEndpoint;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's HTTP edge on one server ({@code docs/api.md}, {@code docs/websocket.md},
 * {@code docs/security.md}): the REST router built from the OpenAPI document with every operation's
 * handler, the WebSocket behind an origin check, TLS when {@code http.tls.enabled}, and the listener.
 * Runs on the caller's (core) context.
 *
 * <pre>{@code
 * HttpEdge edge = new HttpEdge(vertx, config.http(), idleTimeoutSeconds, security, ws, apiHandlers,
 *     discoveryHandlers, bridgeHandlers);
 * edge.start();          // listening, or a StartException naming http.port
 * edge.stop();           // graceful: exchanges under way may finish (5 s)
 * }</pre>
 */
public final class HttpEdge {
  private static final Logger LOG = LoggerFactory.getLogger(HttpEdge.class);
  /** How long exchanges under way may take to finish when the server stops. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final GatewayConfig.Http config;
  private final int idleTimeoutSeconds;
  private final Security security;
  private final WsEndpoint ws;
  private final Map<String, Handler<RoutingContext>> operations;
  private HttpServer server;

  /** @param idleTimeoutSeconds an idle connection is closed after this ({@code http.idleTimeoutSeconds}; 0: never) */
  public HttpEdge(Vertx vertx, GatewayConfig.Http config, int idleTimeoutSeconds, Security security, WsEndpoint ws,
      ApiHandlers api, DiscoveryHandlers discovery, BridgeHandlers bridges) {
    this(vertx, config, idleTimeoutSeconds, security, ws, api, discovery, bridges, Map.of());
  }

  /** @param features the handlers of feature packages (history, scenes…) by operationId */
  public HttpEdge(Vertx vertx, GatewayConfig.Http config, int idleTimeoutSeconds, Security security, WsEndpoint ws,
      ApiHandlers api, DiscoveryHandlers discovery, BridgeHandlers bridges,
      Map<String, Handler<RoutingContext>> features) {
    this.idleTimeoutSeconds = idleTimeoutSeconds;
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.config = Objects.requireNonNull(config, "config");
    this.security = Objects.requireNonNull(security, "security");
    this.ws = Objects.requireNonNull(ws, "ws");
    Map<String, Handler<RoutingContext>> ops = new HashMap<>(api.byOperationId());
    ops.put("metrics", Metrics.handler());
    ops.putAll(discovery.byOperationId());
    ops.putAll(bridges.byOperationId());
    ops.putAll(security.handlers());
    ops.putAll(features);
    this.operations = Map.copyOf(ops);
  }

  /** Builds the router and listens; a port that cannot be bound fails with a {@link StartException}. */
  public Future<Void> start() {
    ApiLimits limits = new ApiLimits(config.maxBodyBytes(), ApiLimits.DEFAULTS.maxJsonDepth(),
        ApiLimits.DEFAULTS.maxStringLength(), ApiLimits.DEFAULTS.maxNumberLength());
    return ApiRouter.create(vertx, operations, limits, security.guard())
        .map(this::mountWebSocket)
        .compose(router -> vertx.createHttpServer(serverOptions()).requestHandler(router)
            .invalidRequestHandler(new InvalidRequests()).listen()
            .recover(e -> Future.failedFuture(
                StartException.portUnusable("http.port", config.port(), config.host(), e.getMessage()))))
        .map(s -> {
          server = s;
          LOG.debug("app API listening [url: {}]", url());
          return null;
        });
  }

  private Router mountWebSocket(Router router) {
    // browsers send Origin: only the gateway's own origin and listed ones (http.allowedOrigins) may
    // open the socket, so a page elsewhere cannot ride on a user's session
    router.route(HttpMethod.GET, WsEndpoint.PATH).order(-2).handler(ctx -> {
      String origin = ctx.request().getHeader("Origin");
      if (sameOrigin(origin, ctx.request().authority()) || security.origins().allowed(origin)) {
        ctx.next();
      } else {
        Problems.send(ctx, new ApiException(ErrorCode.FORBIDDEN, "origin not allowed"));
      }
    });
    ws.mount(router);
    return router;
  }

  private HttpServerOptions serverOptions() {
    HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
        .setTcpNoDelay(true).setCompressionSupported(true).setIdleTimeout(idleTimeoutSeconds);
    ws.configure(options);
    GatewayConfig.Tls tls = config.tls();
    if (tls.enabled() && tls.keyStore() != null) {
      options.setSsl(true).setKeyCertOptions(tls.keyStore().endsWith(".jks")
          ? new JksOptions().setPath(tls.keyStore()).setPassword(tls.password())
          : new PfxOptions().setPath(tls.keyStore()).setPassword(tls.password()));
    } else if (tls.enabled()) {
      options.setSsl(true).setKeyCertOptions(security.tls().orElseThrow().keyCertOptions());
    }
    return options;
  }

  /** Closes every WebSocket (going away); the server keeps answering until {@link #stop()}. */
  public void closeWebSockets() {
    ws.close();
  }

  /** Stops accepting; exchanges under way get {@link #SHUTDOWN_GRACE} to finish. */
  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE);
  }

  /** The bound port, or -1 before {@link #start()}. */
  public int port() {
    return server == null ? -1 : server.actualPort();
  }

  /** {@code http(s)://host:port} with the bound port. */
  public String url() {
    return (config.tls().enabled() ? "https" : "http") + "://" + config.host() + ":" + port();
  }

  /** True if the Origin header names this server's own scheme-less authority (host:port). */
  static boolean sameOrigin(String origin, HostAndPort authority) {
    if (origin == null || authority == null) {
      return false;
    }
    try {
      URI u = URI.create(origin);
      int port = u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
      int own = authority.port() >= 0 ? authority.port() : port;
      return authority.host().equalsIgnoreCase(u.getHost()) && own == port;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
