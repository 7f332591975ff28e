package io.hearth.relay.http;

import io.hearth.relay.store.RelayStore;
import io.hearth.relay.store.StoreExecutor;
import io.hearth.relay.tunnel.AppStream;
import io.hearth.relay.tunnel.Frames;
import io.hearth.relay.tunnel.HubRegistry;
import io.hearth.relay.tunnel.HubTunnel;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Objects;

/**
 * The hub's own app API through the relay (docs/relay.md, "The app side"): {@code /homes/{hubId}/api/v1/…}
 * is forwarded to {@code /api/v1/…} on the hub through its tunnel, the app's {@code Authorization}
 * untouched; the WebSocket {@code /homes/{hubId}/api/v1/ws} likewise. Before anything is forwarded:
 * the relay session ({@code X-Hearth-Relay-Session}, 401), the user bound to that hub (403), the
 * user's and the hub's rate limits (429), the hub online (503 {@code HUB_OFFLINE}).
 */
public final class HomeProxy {
  private static final String PREFIX = "/homes/";

  private final StoreExecutor store;
  private final Sessions sessions;
  private final HubRegistry hubs;
  private final RateLimiter perUser;
  private final RateLimiter perHub;
  private final int maxBodyBytes;

  public HomeProxy(StoreExecutor store, Sessions sessions, HubRegistry hubs, RateLimiter perUser, RateLimiter perHub,
      int maxBodyBytes) {
    this.store = Objects.requireNonNull(store);
    this.sessions = Objects.requireNonNull(sessions);
    this.hubs = Objects.requireNonNull(hubs);
    this.perUser = Objects.requireNonNull(perUser);
    this.perHub = Objects.requireNonNull(perHub);
    this.maxBodyBytes = maxBodyBytes;
  }

  public void mount(Router router) {
    router.get("/homes/:hubId/api/v1/ws").handler(ctx -> {
      if ("websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
        webSocket(ctx);
      } else {
        ctx.next();
      }
    });
    router.route("/homes/:hubId/api/v1/*").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(this::rest);
  }

  private void rest(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    String hubId = ctx.pathParam("hubId");
    admit(req, hubId).compose(tunnel -> tunnel.request(req.method().name(), hubPath(req.uri(), hubId),
            Frames.headers(req.headers(), Frames.REQUEST_HEADERS), ctx.body() == null ? Buffer.buffer() : ctx.body().buffer()))
        .onSuccess(res -> AccountRoutes.passThrough(ctx, res))
        .onFailure(e -> Problems.send(ctx.response(), e));
  }

  private void webSocket(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    req.pause();
    String hubId = ctx.pathParam("hubId");
    admit(req, hubId).compose(tunnel -> tunnel.openStream(hubPath(req.uri(), hubId),
            Frames.headers(req.headers(), Frames.REQUEST_HEADERS)))
        .onSuccess(stream -> upgrade(ctx, stream))
        .onFailure(e -> {
          req.resume();
          Problems.send(ctx.response(), e);
        });
  }

  private void upgrade(RoutingContext ctx, AppStream stream) {
    if (stream.refusal() != null) { // the hub refused the upgrade (a bad token: 401, caps: 429/503)
      ctx.request().resume();
      AccountRoutes.passThrough(ctx, stream.refusal());
      return;
    }
    ctx.request().toWebSocket().onSuccess(stream::attach).onFailure(e -> stream.abandon());
  }

  /** Session → binding → rate limits → the hub's tunnel. */
  private Future<HubTunnel> admit(HttpServerRequest req, String hubId) {
    return sessions.check(req).compose(s -> bound(s, hubId)).compose(s -> {
      int wait = perUser.tryAcquire(s.openid());
      if (wait == 0) {
        wait = perHub.tryAcquire(hubId);
      }
      if (wait > 0) {
        return Future.failedFuture(new RelayException(RelayError.RATE_LIMITED,
            "too many requests through the relay; retry after " + wait + " s", wait));
      }
      return hubs.find(hubId).map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(
          new RelayException(RelayError.HUB_OFFLINE, "hub " + hubId + " is not connected to the relay; on the home"
              + " network the app can reach it directly")));
    });
  }

  private Future<RelayStore.Session> bound(RelayStore.Session s, String hubId) {
    return store.call(st -> st.bindings(s.openid())).compose(list -> list.stream()
        .anyMatch(b -> b.hubId().equals(hubId)) ? Future.succeededFuture(s)
        : Future.failedFuture(new RelayException(RelayError.FORBIDDEN,
            "this WeChat user is not bound to hub " + hubId + " (POST /relay/v1/homes/bind)")));
  }

  /** {@code /homes/{hubId}/api/v1/devices?x=1} → {@code /api/v1/devices?x=1}. */
  static String hubPath(String uri, String hubId) {
    return uri.substring(PREFIX.length() + hubId.length());
  }
}
