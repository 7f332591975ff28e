package io.hearth.gateway.ws;

import io.hearth.gateway.command.CommandService;
import io.hearth.gateway.domain.UnauthenticatedException;
import io.hearth.gateway.domain.UnavailableException;
import io.hearth.gateway.events.EventLog;
import io.hearth.gateway.events.GatewayEvent;
import io.hearth.gateway.registry.DeviceRegistry;
import io.hearth.gateway.state.DeviceStates;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's WebSocket, {@code GET /api/v1/ws} ({@code docs/websocket.md}), on the same HTTP
 * server and the same (core) context as the REST API. A refused upgrade fails the routing context
 * and the router's failure handler answers it (a problem, as for any REST request); errors on an
 * open connection are its own messages ({@link WsErrors}). Fans every {@link GatewayEvent}
 * out to the connections' subscriptions and replays missed ones from the {@link EventLog}.
 *
 * <pre>{@code
 * WsEndpoint ws = new WsEndpoint(vertx, registry, states, commands, eventLog, WsAuthenticator.ADMIT_ALL,
 *     WsOptions.DEFAULTS);
 * ws.mount(router);                                   // before the server listens
 * vertx.createHttpServer(ws.configure(options)).requestHandler(router).listen();
 * }</pre>
 */
public final class WsEndpoint {
  /** The WebSocket's path, under the REST API's base path {@code /api/v1} (docs/websocket.md). */
  public static final String PATH = "/api/v1/ws";
  private static final Logger LOG = LoggerFactory.getLogger(WsEndpoint.class);

  /** What a connection needs. */
  record Deps(Vertx vertx, DeviceRegistry registry, DeviceStates states, CommandService commands, EventLog log,
      WsAuthenticator authenticator, WsOptions options, WsEndpoint endpoint) {}

  private final Deps deps;
  private final Set<WsConnection> connections = new LinkedHashSet<>();
  private final Consumer<GatewayEvent> listener = this::publish;
  private final WsAdmission admission;

  public WsEndpoint(Vertx vertx, DeviceRegistry registry, DeviceStates states, CommandService commands, EventLog log,
      WsAuthenticator authenticator, WsOptions options) {
    this.deps = new Deps(Objects.requireNonNull(vertx, "vertx"), Objects.requireNonNull(registry, "registry"),
        Objects.requireNonNull(states, "states"), Objects.requireNonNull(commands, "commands"),
        Objects.requireNonNull(log, "log"), Objects.requireNonNull(authenticator, "authenticator"),
        Objects.requireNonNull(options, "options"), this);
    this.admission = new WsAdmission(options);
    log.hub().addListener(listener);
  }

  /** Adds the route, ahead of the REST routes (whose not-found handling would answer it otherwise). */
  public void mount(Router router) {
    router.route(HttpMethod.GET, PATH).order(-1).handler(this::upgrade);
  }

  /** Sets the server's WebSocket frame and message limits (and its send buffer, when configured). */
  public HttpServerOptions configure(HttpServerOptions options) {
    if (deps.options().sendBufferBytes() > 0) {
      options.setSendBufferSize(deps.options().sendBufferBytes());
    }
    return options.setMaxWebSocketFrameSize(deps.options().maxFrameBytes())
        .setMaxWebSocketMessageSize(deps.options().maxMessageBytes());
  }

  /** Open connections. */
  public int connections() {
    return connections.size();
  }

  /** Stops listening to events and closes every connection (code 1001). */
  public void close() {
    deps.log().hub().removeListener(listener);
    List.copyOf(connections).forEach(WsConnection::goingAway);
  }

  void removed(WsConnection c) {
    if (connections.remove(c)) {
      admission.release(c.admittedAs());
    }
  }

  /**
   * A connection authenticated by message: takes the user's place instead of its unauthenticated
   * (or earlier user's) one. False when the gateway or that user has no place left: the connection
   * is then closed by the caller.
   */
  boolean authenticated(WsConnection c, String user) {
    WsAdmission.Refusal r = admission.move(c.admittedAs(), user);
    if (r != null) {
      LOG.info("WebSocket refused after auth [remote: {}, reason: {}]", c.remote(), r);
      return false;
    }
    return true;
  }

  /** The admission key of a principal: its user id, else its name. */
  static String userOf(WsPrincipal p) {
    return p == null ? null : p.user() != null ? p.user() : p.name();
  }

  private void publish(GatewayEvent e) {
    for (WsConnection c : List.copyOf(connections)) {
      c.publish(e);
    }
  }

  private void upgrade(RoutingContext ctx) {
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE))) {
      ctx.fail(new HttpException(400, "a WebSocket upgrade is required here"));
      return;
    }
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    Optional<WsPrincipal> principal;
    if (authorization == null) {
      principal = deps.authenticator().anonymous(); // empty: it must send an auth message first
    } else {
      String token = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : "";
      principal = token.isEmpty() ? Optional.empty() : deps.authenticator().authenticate(token);
      if (principal.isEmpty()) {
        ctx.fail(new UnauthenticatedException("the bearer token is not valid"));
        return;
      }
    }
    String user = userOf(principal.orElse(null));
    WsAdmission.Refusal refused = admission.take(user);
    if (refused != null) {
      LOG.info("WebSocket upgrade refused [remote: {}, reason: {}, unauthenticated: {}, authenticated: {}]",
          ctx.request().remoteAddress(), refused, admission.unauthenticated(), admission.authenticated());
      ctx.fail(refused == WsAdmission.Refusal.USER_FULL
          ? new HttpException(429, "too many WebSocket connections for this user")
          : new UnavailableException(refused == WsAdmission.Refusal.UNAUTHENTICATED_FULL
              ? "too many WebSocket connections waiting to authenticate" : "too many WebSocket connections"));
      return;
    }
    ctx.request().toWebSocket().onSuccess(ws -> {
      connections.add(new WsConnection(deps, ctx.vertx().getOrCreateContext(), ws, principal.orElse(null), user));
      LOG.debug("WebSocket open [remote: {}, connections: {}]", ws.remoteAddress(), connections.size());
    }).onFailure(e -> {
      admission.release(user);
      LOG.debug("WebSocket upgrade failed [remote: {}]: {}", ctx.request().remoteAddress(), e.getMessage());
    });
  }
}
