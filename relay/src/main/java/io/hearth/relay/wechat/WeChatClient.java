package io.hearth.relay.wechat;

import io.hearth.relay.config.RelayConfig;
import io.hearth.relay.http.RelayError;
import io.hearth.relay.http.RelayException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WeChat server API the relay uses (docs/relay.md, "WeChat"): {@code jscode2session} for the
 * login, {@code cgi-bin/stable_token} for the access token (cached until
 * {@code wechat.tokenRefreshMarginSeconds} before it expires, one fetch at a time) and
 * {@code cgi-bin/message/subscribe/send} for alerts. WeChat answers errors as
 * {@code {"errcode","errmsg"}} with HTTP 200 (and {@code text/plain} for jscode2session), so the body
 * decides. The app secret and the session key never leave this class; neither is logged.
 */
public final class WeChatClient {
  private static final Logger LOG = LoggerFactory.getLogger(WeChatClient.class);

  /** What jscode2session gave: the user's ids (the session key is dropped at once). */
  public record Login(String openid, String unionid) {}

  private final Vertx vertx;
  private final RelayConfig.WeChat config;
  private final WebClient http;
  private String accessToken;
  private long accessTokenExpiresAtMs;
  private Future<String> fetching;

  public WeChatClient(Vertx vertx, RelayConfig.WeChat config) {
    this.vertx = Objects.requireNonNull(vertx);
    this.config = Objects.requireNonNull(config);
    this.http = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5000).setIdleTimeout(30)
        .setUserAgent("hearth-relay"));
  }

  /** Exchanges a {@code wx.login} code for the user's openid (and unionid when the app has one). */
  public Future<Login> login(String code) {
    return http.getAbs(config.apiBase() + "/sns/jscode2session")
        .addQueryParam("appid", config.appId()).addQueryParam("secret", config.secret())
        .addQueryParam("js_code", code).addQueryParam("grant_type", "authorization_code")
        .timeout(10_000).send()
        .recover(e -> Future.failedFuture(new RelayException(RelayError.WECHAT_BUSY,
            "WeChat did not answer the login: " + e.getClass().getSimpleName(), 1)))
        .compose(res -> {
          JsonObject body = body(res);
          int errcode = body.getInteger("errcode", 0);
          if (errcode != 0 || body.getString("openid") == null) {
            return Future.failedFuture(loginError(errcode, body.getString("errmsg", "")));
          }
          return Future.succeededFuture(new Login(body.getString("openid"), body.getString("unionid")));
        });
  }

  static RelayException loginError(int errcode, String errmsg) {
    return switch (errcode) {
      case 40029, 40163 -> new RelayException(RelayError.WECHAT_CODE_INVALID,
          "WeChat refused the login code (errcode " + errcode + "): call wx.login again");
      case 45011 -> new RelayException(RelayError.WECHAT_RATE_LIMITED,
          "WeChat's login rate limit for this user (errcode 45011)", 60);
      case -1 -> new RelayException(RelayError.WECHAT_BUSY, "WeChat is busy (errcode -1); try again", 1);
      default -> new RelayException(RelayError.WECHAT_ERROR, "WeChat refused the login (errcode " + errcode + ")");
    };
  }

  /** Sends one subscribe message; fails with the WeChat errcode in the message. */
  public Future<Void> sendSubscribeMessage(String openid, String templateId, String page, JsonObject data) {
    JsonObject msg = new JsonObject().put("touser", openid).put("template_id", templateId).put("page", page)
        .put("data", data).put("miniprogram_state", "formal").put("lang", "zh_CN");
    return accessToken(false).compose(token -> send(token, msg)).recover(e -> {
      if (e instanceof WeChatApiException w && (w.errcode() == 40001 || w.errcode() == 42001)) {
        // the cached token was revoked or expired early: fetch a new one, once
        return accessToken(true).compose(token -> send(token, msg));
      }
      return Future.failedFuture(e);
    });
  }

  private Future<Void> send(String token, JsonObject msg) {
    return http.postAbs(config.apiBase() + "/cgi-bin/message/subscribe/send").addQueryParam("access_token", token)
        .timeout(10_000).sendJsonObject(msg)
        .compose(res -> {
          JsonObject body = body(res);
          int errcode = body.getInteger("errcode", -2);
          return errcode == 0 ? Future.succeededFuture()
              : Future.failedFuture(new WeChatApiException(errcode, body.getString("errmsg", "")));
        });
  }

  /** The cached access token, or a new one from {@code stable_token}; one fetch at a time. */
  Future<String> accessToken(boolean forceRefresh) {
    if (!forceRefresh && accessToken != null
        && System.currentTimeMillis() < accessTokenExpiresAtMs - config.tokenRefreshMarginSeconds() * 1000L) {
      return Future.succeededFuture(accessToken);
    }
    if (fetching != null) {
      return fetching;
    }
    JsonObject req = new JsonObject().put("grant_type", "client_credential").put("appid", config.appId())
        .put("secret", config.secret()).put("force_refresh", forceRefresh);
    fetching = http.postAbs(config.apiBase() + "/cgi-bin/stable_token").timeout(10_000).sendJsonObject(req)
        .compose(res -> {
          JsonObject body = body(res);
          String token = body.getString("access_token");
          if (token == null) {
            return Future.failedFuture(new WeChatApiException(body.getInteger("errcode", -2),
                body.getString("errmsg", "")));
          }
          accessToken = token;
          accessTokenExpiresAtMs = System.currentTimeMillis() + body.getLong("expires_in", 7200L) * 1000;
          LOG.debug("WeChat access token refreshed [expiresIn: {} s]", body.getLong("expires_in", 7200L));
          return Future.succeededFuture(token);
        })
        .onComplete(r -> fetching = null);
    return fetching;
  }

  private static JsonObject body(HttpResponse<Buffer> res) {
    try {
      Buffer b = res.body();
      return b == null ? new JsonObject() : new JsonObject(b);
    } catch (DecodeException e) {
      return new JsonObject().put("errcode", -1).put("errmsg", "not JSON");
    }
  }

  public Future<Void> close() {
    http.close();
    return Future.succeededFuture();
  }
}
