package io.hearth.relay.tunnel;

import io.hearth.relay.config.RelayConfig;
import io.hearth.relay.http.Problems;
import io.hearth.relay.http.RelayError;
import io.hearth.relay.http.RelayException;
import io.hearth.relay.store.Secrets;
import io.hearth.relay.store.StoreExecutor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /relay/v1/tunnel}: where hubs connect (docs/relay.md, "Linking a hub" and "The tunnel
 * protocol"). A hub names itself in {@code X-Hearth-Hub-Id} and proves it with
 * {@code Authorization: HubKey <key>}; a hub linking for the first time sends
 * {@code X-Hearth-Link-Code} instead, and the relay answers the upgrade with a first frame
 * {@code {"t":"linked","hubKey"}}. Only the key's SHA-256 is stored. Everything is checked before
 * the upgrade: a refused hub gets a 401 problem and no socket.
 */
public final class TunnelEndpoint {
  public static final String PATH = "/relay/v1/tunnel";
  public static final String HUB_ID_HEADER = "X-Hearth-Hub-Id";
  public static final String LINK_CODE_HEADER = "X-Hearth-Link-Code";
  private static final Logger LOG = LoggerFactory.getLogger(TunnelEndpoint.class);
  private static final Pattern HUB_ID = Pattern.compile("[a-z0-9]{16,64}");
  private static final Pattern LINK_CODE = Pattern.compile("[A-Za-z0-9_-]{16,128}");

  private final Vertx vertx;
  private final StoreExecutor store;
  private final HubRegistry hubs;
  private final RelayConfig.Tunnel limits;
  private final Consumer<JsonObject> alerts;

  public TunnelEndpoint(Vertx vertx, StoreExecutor store, HubRegistry hubs, RelayConfig.Tunnel limits,
      Consumer<JsonObject> alerts) {
    this.vertx = Objects.requireNonNull(vertx);
    this.store = Objects.requireNonNull(store);
    this.hubs = Objects.requireNonNull(hubs);
    this.limits = Objects.requireNonNull(limits);
    this.alerts = Objects.requireNonNull(alerts);
  }

  public void handle(HttpServerRequest req) {
    String hubId = req.getHeader(HUB_ID_HEADER);
    String auth = req.getHeader("Authorization");
    String linkCode = req.getHeader(LINK_CODE_HEADER);
    if (hubId == null || !HUB_ID.matcher(hubId).matches()) {
      Problems.send(req.response(), RelayError.HUB_KEY_INVALID, "X-Hearth-Hub-Id must be 16-64 of [a-z0-9]");
      return;
    }
    req.pause();
    Future<String> admitted;
    if (auth != null && auth.startsWith("HubKey ")) {
      String key = auth.substring("HubKey ".length()).trim();
      admitted = store.call(s -> s.hubKeyHash(hubId)).compose(hash -> hash.isPresent() && Secrets.matches(key, hash.get())
          ? Future.succeededFuture((String) null)
          : Future.failedFuture(new RelayException(RelayError.HUB_KEY_INVALID, "unknown hub or wrong hub key")));
    } else if (linkCode != null && LINK_CODE.matcher(linkCode).matches()) {
      String key = Secrets.token();
      admitted = store.call(s -> s.addHub(hubId, Secrets.sha256(key), System.currentTimeMillis()))
          .compose(added -> added ? Future.succeededFuture(key)
              : Future.failedFuture(new RelayException(RelayError.HUB_KEY_INVALID,
                  "hub id already linked: a linked hub connects with its hub key")));
    } else {
      admitted = Future.failedFuture(new RelayException(RelayError.HUB_KEY_INVALID,
          "a hub connects with Authorization: HubKey <key>, or X-Hearth-Link-Code to link"));
    }
    admitted.onComplete(r -> {
      if (r.failed()) {
        LOG.info("tunnel refused [hub: {}, from: {}, reason: {}]", hubId, req.remoteAddress(), r.cause().getMessage());
        req.resume();
        Problems.send(req.response(), r.cause());
        return;
      }
      req.toWebSocket().onSuccess(ws -> open(hubId, ws, r.result()))
          .onFailure(e -> LOG.info("tunnel upgrade failed [hub: {}, reason: {}]", hubId, e.getMessage()));
    });
  }

  private void open(String hubId, ServerWebSocket ws, String newKey) {
    HubTunnel tunnel = new HubTunnel(vertx, hubId, ws, limits, alerts);
    if (newKey != null) { // the key travels once, in the first frame of the linking connection
      ws.writeTextMessage(new JsonObject().put("t", Frames.LINKED).put("hubId", hubId).put("hubKey", newKey).encode());
      LOG.info("hub linked [hub: {}]", hubId);
    }
    hubs.put(tunnel);
    ws.pongHandler(b -> tunnel.heard());
    long ping = vertx.setPeriodic(Math.max(1, limits.idleTimeoutMs() / 3), t -> {
      if ((System.nanoTime() - tunnel.lastHeardNanos()) / 1_000_000 > limits.idleTimeoutMs()) {
        LOG.info("tunnel idle, closing [hub: {}]", hubId);
        ws.close((short) 1001, "idle");
      } else if (!ws.isClosed()) {
        ws.writePing(Buffer.buffer());
      }
    });
    ws.closeHandler(v -> {
      vertx.cancelTimer(ping);
      hubs.remove(tunnel);
      tunnel.closed();
      LOG.info("hub offline [hub: {}]", hubId);
    });
    LOG.info("hub online [hub: {}, from: {}]", hubId, ws.remoteAddress());
  }
}
