package io.hearth.relay.wechat;

import io.hearth.relay.config.RelayConfig;
import io.hearth.relay.http.RateLimiter;
import io.hearth.relay.store.StoreExecutor;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts from hubs → WeChat subscribe messages to every user bound to the hub (docs/relay.md,
 * "Alerts"). The template ({@code wechat.alertTemplateId}) must have three keywords:
 * {@code thing1} (the device), {@code thing2} (what happened) and {@code time3} (when). A hub's
 * alerts are rate limited ({@code rateLimits.hub*}); a user who has not subscribed (WeChat errcode
 * 43101) is skipped. No alert is sent when no template is configured.
 */
public final class AlertSender {
  private static final Logger LOG = LoggerFactory.getLogger(AlertSender.class);
  /** WeChat's "thing" keywords take at most 20 characters. */
  static final int THING_MAX = 20;

  private final StoreExecutor store;
  private final WeChatClient wechat;
  private final RelayConfig.WeChat config;
  private final RateLimiter perHub;

  public AlertSender(StoreExecutor store, WeChatClient wechat, RelayConfig.WeChat config, RateLimiter perHub) {
    this.store = Objects.requireNonNull(store);
    this.wechat = Objects.requireNonNull(wechat);
    this.config = Objects.requireNonNull(config);
    this.perHub = Objects.requireNonNull(perHub);
  }

  /** An {@code alert} frame from hub {@code hubId}: {@code {"device","deviceName","text","ts"}}. */
  public void onAlert(String hubId, JsonObject frame) {
    if (config.alertTemplateId().isBlank()) {
      LOG.debug("alert dropped: no wechat.alertTemplateId [hub: {}]", hubId);
      return;
    }
    if (perHub.tryAcquire("alerts:" + hubId) > 0) {
      LOG.info("alert dropped: hub over its rate limit [hub: {}]", hubId);
      return;
    }
    JsonObject data = new JsonObject()
        .put("thing1", value(frame.getString("deviceName", frame.getString("device", "?"))))
        .put("thing2", value(frame.getString("text", "alert")))
        .put("time3", new JsonObject().put("value", time(frame.getString("ts", ""))));
    store.call(s -> s.usersOf(hubId)).onSuccess(users -> users.forEach(openid ->
        wechat.sendSubscribeMessage(openid, config.alertTemplateId(), config.alertPage(), data)
            .onSuccess(v -> LOG.debug("alert sent [hub: {}]", hubId))
            .onFailure(e -> LOG.info("alert not delivered [hub: {}, reason: {}]", hubId, e.getMessage()))));
  }

  private static JsonObject value(String s) {
    return new JsonObject().put("value", s.length() > THING_MAX ? s.substring(0, THING_MAX) : s);
  }

  /** {@code 2026-12-03T15:30:29.123Z} → WeChat's {@code time} keyword form {@code 2026-12-03 15:30:29}. */
  static String time(String iso) {
    return iso.length() >= 19 ? iso.substring(0, 10) + " " + iso.substring(11, 19) : iso;
  }
}
