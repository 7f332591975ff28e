package io.hearth.relay.http;

import io.hearth.relay.store.RelayStore;
import io.hearth.relay.store.StoreExecutor;
import io.hearth.relay.tunnel.Frames;
import io.hearth.relay.tunnel.HubRegistry;
import io.hearth.relay.tunnel.HubTunnel;
import io.hearth.relay.tunnel.TunnelResponse;
import io.hearth.relay.wechat.WeChatClient;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The relay's own API for the mini-program (docs/relay.md, "WeChat login" and "Homes"):
 * {@code POST /relay/v1/auth/wechat}, {@code GET /relay/v1/homes}, {@code POST /relay/v1/homes/bind}
 * (a pairing forwarded to the hub, which stays the authority) and {@code DELETE /relay/v1/homes/{hubId}}.
 */
public final class AccountRoutes {
  static final Pattern HUB_ID = Pattern.compile("[a-z0-9]{16,64}");
  private static final int MAX_CODE = 128;
  private static final int MAX_NAME = 64;

  private final StoreExecutor store;
  private final Sessions sessions;
  private final WeChatClient wechat;
  private final HubRegistry hubs;
  private final RateLimiter logins;

  public AccountRoutes(StoreExecutor store, Sessions sessions, WeChatClient wechat, HubRegistry hubs,
      RateLimiter logins) {
    this.store = Objects.requireNonNull(store);
    this.sessions = Objects.requireNonNull(sessions);
    this.wechat = Objects.requireNonNull(wechat);
    this.hubs = Objects.requireNonNull(hubs);
    this.logins = Objects.requireNonNull(logins);
  }

  public void mount(Router router) {
    router.post("/relay/v1/auth/wechat").handler(this::login);
    router.get("/relay/v1/homes").handler(this::homes);
    router.post("/relay/v1/homes/bind").handler(this::bind);
    router.delete("/relay/v1/homes/:hubId").handler(this::unbind);
  }

  private void login(RoutingContext ctx) {
    int wait = logins.tryAcquire("login:" + ctx.request().remoteAddress().host());
    if (wait > 0) {
      Problems.send(ctx.response(), new RelayException(RelayError.RATE_LIMITED, "too many logins from this address", wait));
      return;
    }
    JsonObject body;
    try {
      body = json(ctx);
    } catch (RelayException e) {
      Problems.send(ctx.response(), e);
      return;
    }
    String code = text(body, "code", MAX_CODE, true);
    if (code == null) {
      Problems.send(ctx.response(), RelayError.VALIDATION_FAILED, "code: a wx.login code of 1-128 characters is required");
      return;
    }
    wechat.login(code)
        .compose(user -> sessions.create(user.openid(), user.unionid())
            .compose(token -> homesOf(user.openid()).map(homes -> new JsonObject().put("sessionToken", token)
                .put("expiresInSec", sessions.ttlSeconds()).put("homes", homes))))
        .onSuccess(out -> ok(ctx, 200, out))
        .onFailure(e -> Problems.send(ctx.response(), e));
  }

  private void homes(RoutingContext ctx) {
    sessions.check(ctx.request()).compose(s -> homesOf(s.openid()))
        .onSuccess(homes -> ok(ctx, 200, new JsonObject().put("homes", homes)))
        .onFailure(e -> Problems.send(ctx.response(), e));
  }

  private void bind(RoutingContext ctx) {
    sessions.check(ctx.request()).compose(s -> {
      JsonObject body = json(ctx);
      String hubId = text(body, "hubId", 64, true);
      String code = text(body, "code", MAX_CODE, true);
      String name = text(body, "name", MAX_NAME, false);
      if (hubId == null || !HUB_ID.matcher(hubId).matches()) {
        throw new RelayException(RelayError.VALIDATION_FAILED, "hubId: the hub's id (16-64 of [a-z0-9]) is required");
      }
      if (code == null) {
        throw new RelayException(RelayError.VALIDATION_FAILED, "code: the hub's pairing or invite code is required");
      }
      HubTunnel tunnel = hubs.find(hubId).orElseThrow(() -> new RelayException(RelayError.HUB_OFFLINE,
          "hub " + hubId + " is not connected to the relay"));
      // the pairing as the hub's API documents it (docs/api.md, "Auth"): the hub decides
      JsonObject pair = new JsonObject().put("code", code).put("client", name == null ? "WeChat mini-program" : name);
      return tunnel.request("POST", "/api/v1/auth/pair", new JsonObject().put("Content-Type", "application/json"),
          pair.toBuffer()).compose(res -> {
            if (res.status() != 200) {
              passThrough(ctx, res);
              return Future.succeededFuture();
            }
            JsonObject hubAnswer = new JsonObject(res.body());
            return store.call(st -> {
              st.bind(s.openid(), hubId, name == null ? hubId : name, System.currentTimeMillis());
              return null;
            }).onSuccess(v -> ok(ctx, 200, new JsonObject().put("hubId", hubId).put("pair", hubAnswer))).mapEmpty();
          });
    }).onFailure(e -> Problems.send(ctx.response(), e));
  }

  private void unbind(RoutingContext ctx) {
    String hubId = ctx.pathParam("hubId");
    sessions.check(ctx.request()).compose(s -> store.call(st -> st.unbind(s.openid(), hubId)))
        .onSuccess(removed -> {
          if (removed) {
            ctx.response().setStatusCode(204).end();
          } else {
            Problems.send(ctx.response(), RelayError.NOT_FOUND, "no home " + hubId + " is bound to this user");
          }
        })
        .onFailure(e -> Problems.send(ctx.response(), e));
  }

  private Future<JsonArray> homesOf(String openid) {
    return store.call(st -> st.bindings(openid)).map(this::homesJson);
  }

  private JsonArray homesJson(List<RelayStore.Binding> bindings) {
    JsonArray out = new JsonArray();
    bindings.forEach(b -> out.add(new JsonObject().put("hubId", b.hubId()).put("name", b.name())
        .put("online", hubs.isOnline(b.hubId()))));
    return out;
  }

  /** The hub's answer, unchanged (status, its content type, body). */
  static void passThrough(RoutingContext ctx, TunnelResponse res) {
    var out = ctx.response().setStatusCode(res.status());
    for (String h : Frames.RESPONSE_HEADERS) {
      String v = res.headers().getString(h);
      if (v != null) {
        out.putHeader(h, v);
      }
    }
    out.end(res.body());
  }

  private static JsonObject json(RoutingContext ctx) {
    Buffer b = ctx.body() == null ? null : ctx.body().buffer();
    if (b == null || b.length() == 0) {
      throw new RelayException(RelayError.MALFORMED_REQUEST, "a JSON object body is required");
    }
    try {
      return new JsonObject(b);
    } catch (DecodeException | ClassCastException e) {
      throw new RelayException(RelayError.MALFORMED_REQUEST, "the body is not a JSON object");
    }
  }

  private static String text(JsonObject body, String field, int max, boolean required) {
    Object v = body.getValue(field);
    if (v == null && !required) {
      return null;
    }
    if (!(v instanceof String s) || s.isBlank() || s.length() > max) {
      if (!required) {
        throw new RelayException(RelayError.VALIDATION_FAILED, field + ": must be a string of 1-" + max + " characters");
      }
      return null;
    }
    return s.trim();
  }

  private static void ok(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
