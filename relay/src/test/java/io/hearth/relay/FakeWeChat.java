package io.hearth.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local fake of the WeChat server API with its real request and answer shapes: errors are
 * {@code {"errcode","errmsg"}} with HTTP 200; {@code jscode2session} answers {@code text/plain}
 * (as WeChat does), a login code works once (40163 after), and the test's special codes give
 * 40029 (invalid code), 45011 (rate limit) and -1 (busy). {@code stable_token} hands out
 * numbered access tokens; {@code subscribe/send} accepts only the current one (40001 otherwise) and
 * records every message.
 */
final class FakeWeChat implements AutoCloseable {
  static final String APP_ID = "wx0123456789abcdef";
  static final String SECRET = "fake-app-secret-5f2e";

  /** Login code → openid. */
  private final Map<String, String> codes = new ConcurrentHashMap<>();
  private final Set<String> used = ConcurrentHashMap.newKeySet();
  final List<JsonObject> messages = new CopyOnWriteArrayList<>();
  final AtomicInteger tokenFetches = new AtomicInteger();
  final AtomicInteger logins = new AtomicInteger();
  private volatile String currentToken;
  private final HttpServer server;

  FakeWeChat(Vertx vertx) throws Exception {
    Router r = Router.router(vertx);
    r.get("/sns/jscode2session").handler(ctx -> jscode2session(ctx.request()));
    r.post("/cgi-bin/stable_token").handler(BodyHandler.create()).handler(ctx -> {
      JsonObject b = ctx.body().asJsonObject();
      if (!"client_credential".equals(b.getString("grant_type")) || !APP_ID.equals(b.getString("appid"))
          || !SECRET.equals(b.getString("secret"))) {
        json(ctx.request(), new JsonObject().put("errcode", 40125).put("errmsg", "invalid appsecret"));
        return;
      }
      currentToken = "ACCESS_TOKEN_" + tokenFetches.incrementAndGet();
      json(ctx.request(), new JsonObject().put("access_token", currentToken).put("expires_in", 7200));
    });
    r.post("/cgi-bin/message/subscribe/send").handler(BodyHandler.create()).handler(ctx -> {
      String token = ctx.request().getParam("access_token");
      if (token == null || !token.equals(currentToken)) {
        json(ctx.request(), new JsonObject().put("errcode", 40001).put("errmsg", "invalid credential"));
        return;
      }
      JsonObject b = ctx.body().asJsonObject();
      if (b.getString("touser") == null || b.getString("template_id") == null || b.getJsonObject("data") == null) {
        json(ctx.request(), new JsonObject().put("errcode", 47003).put("errmsg", "argument invalid!"));
        return;
      }
      messages.add(b);
      json(ctx.request(), new JsonObject().put("errcode", 0).put("errmsg", "ok"));
    });
    server = vertx.createHttpServer().requestHandler(r).listen(0, "127.0.0.1").await();
  }

  /** A login code that gives this openid, once. */
  String code(String code, String openid) {
    codes.put(code, openid);
    return code;
  }

  String apiBase() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Makes the current access token invalid, as WeChat does when it is revoked early. */
  void revokeToken() {
    currentToken = "revoked";
  }

  private void jscode2session(HttpServerRequest req) {
    logins.incrementAndGet();
    if (!APP_ID.equals(req.getParam("appid")) || !SECRET.equals(req.getParam("secret"))
        || !"authorization_code".equals(req.getParam("grant_type"))) {
      text(req, new JsonObject().put("errcode", 40013).put("errmsg", "invalid appid"));
      return;
    }
    String code = req.getParam("js_code", "");
    switch (code) {
      case "limited" -> text(req, new JsonObject().put("errcode", 45011).put("errmsg", "api minute-quota reach limit"));
      case "busy" -> text(req, new JsonObject().put("errcode", -1).put("errmsg", "system error"));
      default -> {
        String openid = codes.get(code);
        if (openid == null) {
          text(req, new JsonObject().put("errcode", 40029).put("errmsg", "invalid code"));
        } else if (!used.add(code)) {
          text(req, new JsonObject().put("errcode", 40163).put("errmsg", "code been used"));
        } else {
          text(req, new JsonObject().put("openid", openid).put("session_key", "SESSION-KEY-" + openid)
              .put("unionid", "u-" + openid));
        }
      }
    }
  }

  private static void text(HttpServerRequest req, JsonObject body) {
    req.response().putHeader("Content-Type", "text/plain").end(body.encode());
  }

  private static void json(HttpServerRequest req, JsonObject body) {
    req.response().putHeader("Content-Type", "application/json; encoding=utf-8").end(body.encode());
  }

  @Override
  public void close() {
    server.close();
  }

  Future<Void> stop() {
    return server.close();
  }
}
