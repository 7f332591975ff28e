package io.hearth.gateway.relay;

import io.hearth.gateway.api.ApiException;
import io.hearth.gateway.api.ErrorCode;
import io.hearth.gateway.api.Problems;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.core.Timestamps;
import io.hearth.gateway.events.EventHub;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Remote access through a hearth-relay, as one component of the core (docs/relay.md): the
 * {@code POST /api/v1/relay/link} handler (owner only, per the OpenAPI document) and the tunnel's
 * start and stop. With {@code relay.enabled: false} the route answers 409 and nothing connects.
 *
 * <pre>{@code
 * RelayAccess relay = RelayAccess.create(vertx, config, clock);
 * edge = new HttpEdge(..., relay.handlers());
 * relay.start(host, edge.port(), tls);   // after the HTTP server listens
 * relay.stop();                          // before it stops
 * }</pre>
 */
public final class RelayAccess {
  private final Vertx vertx;
  private final GatewayConfig.Relay config;
  private final RelayIdentity identity;
  private final RelayTunnel tunnel;

  private final EventHub events;
  private final RelayAlerts alerts;

  private RelayAccess(Vertx vertx, GatewayConfig.Relay config, RelayIdentity identity, EventHub events,
      Function<String, String> deviceName) {
    this.vertx = vertx;
    this.config = config;
    this.identity = identity;
    this.events = events;
    this.tunnel = config.enabled() ? new RelayTunnel(vertx, config, identity) : null;
    this.alerts = tunnel == null ? null : new RelayAlerts(deviceName, tunnel::send);
  }

  /**
   * @param events     the core's events, whose alerts (docs/relay.md, "Alerts") go to the relay
   * @param deviceName a device's display name by id
   */
  public static RelayAccess create(Vertx vertx, GatewayConfig config, Clock clock, EventHub events,
      Function<String, String> deviceName) {
    Objects.requireNonNull(config, "config");
    return new RelayAccess(Objects.requireNonNull(vertx), config.relay(), new RelayIdentity(config.dataDir(), clock),
        Objects.requireNonNull(events), Objects.requireNonNull(deviceName));
  }

  /** The handlers by operationId. */
  public Map<String, Handler<RoutingContext>> handlers() {
    return Map.of("linkRelay", this::link);
  }

  /** Loads the hub's identity and starts the tunnel to the hub's own API at {@code host:port}. */
  public Future<Void> start(String host, int port, boolean ssl) {
    if (tunnel == null) {
      return Future.succeededFuture();
    }
    String loopback = host.equals("0.0.0.0") ? "127.0.0.1" : host.equals("::") ? "::1" : host;
    return vertx.executeBlocking(() -> {
      identity.load();
      return null;
    }).compose(v -> tunnel.start(loopback, port, ssl)).onSuccess(v -> events.addListener(alerts));
  }

  public Future<Void> stop() {
    if (tunnel == null) {
      return Future.succeededFuture();
    }
    events.removeListener(alerts);
    return tunnel.stop();
  }

  /** True while the tunnel to the relay is up. */
  public boolean connected() {
    return tunnel != null && tunnel.connected();
  }

  private void link(RoutingContext ctx) {
    if (tunnel == null) {
      Problems.send(ctx, new ApiException(ErrorCode.CONFLICT,
          "remote access is off: set relay.enabled and relay.url (docs/relay.md)"));
      return;
    }
    String code = identity.newLinkCode(Duration.ofSeconds(config.linkCodeTtlSeconds()));
    JsonObject out = new JsonObject().put("linkCode", code).put("hubId", identity.hubId())
        .put("relayUrl", config.url())
        .put("expiresAt", Timestamps.wire(identity.linkCodeExpires()));
    tunnel.linkRequested();
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(out.encode());
  }
}
