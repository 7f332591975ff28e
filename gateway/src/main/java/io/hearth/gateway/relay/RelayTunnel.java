package io.hearth.gateway.relay;

import io.hearth.gateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's one outbound WebSocket to its relay (docs/relay.md): connects with the hub key (or, to
 * link, the owner's one-time link code), carries the app's requests and sockets to
 * {@link LoopbackForwarder}, and reconnects after any loss with full-jitter exponential backoff
 * ({@code relay.reconnectMinDelayMs} doubling up to {@code relay.reconnectMaxDelayMs}). Nothing of
 * the LAN API depends on it: while the relay is unreachable the hub works as before. Runs on the
 * core context.
 */
public final class RelayTunnel {
  private static final Logger LOG = LoggerFactory.getLogger(RelayTunnel.class);
  static final String PATH = "/relay/v1/tunnel";

  private final Vertx vertx;
  private final GatewayConfig.Relay config;
  private final RelayIdentity identity;
  private WebSocketClient client;
  private LoopbackForwarder forwarder;
  private WebSocket ws;
  private boolean connecting;
  private boolean stopped = true;
  private long retryTimer = -1;
  private long pingTimer = -1;
  private long delayMs;
  private long lastHeard;

  RelayTunnel(Vertx vertx, GatewayConfig.Relay config, RelayIdentity identity) {
    this.vertx = Objects.requireNonNull(vertx);
    this.config = Objects.requireNonNull(config);
    this.identity = Objects.requireNonNull(identity);
    this.delayMs = config.reconnectMinDelayMs();
  }

  /** Starts connecting once the hub's own API listens at {@code host:port}; never fails the gateway's start. */
  Future<Void> start(String host, int port, boolean ssl) {
    stopped = false;
    forwarder = new LoopbackForwarder(vertx, host, port, ssl, config.maxResponseBytes(), config.maxStreams());
    URI u = URI.create(config.url());
    boolean tls = "https".equals(u.getScheme());
    WebSocketClientOptions o = new WebSocketClientOptions().setSsl(tls)
        // a REST answer travels base64 in one message (4/3 of relay.maxResponseBytes, plus the frame)
        .setMaxFrameSize(65536).setMaxMessageSize(config.maxResponseBytes() * 2).setConnectTimeout(10_000);
    if (tls && config.trustCertificate() != null) {
      o.setTrustOptions(new PemTrustOptions().addCertPath(config.trustCertificate()));
    }
    client = vertx.createWebSocketClient(o);
    connect();
    return Future.succeededFuture();
  }

  /** True while the tunnel is up. */
  public boolean connected() {
    return ws != null && !ws.isClosed();
  }

  /** The owner asked for a link code: connect now rather than at the next retry. */
  void linkRequested() {
    if (!stopped && !connected() && !connecting) {
      vertx.cancelTimer(retryTimer);
      delayMs = config.reconnectMinDelayMs();
      connect();
    }
  }

  private void connect() {
    if (stopped || connecting || connected()) {
      return;
    }
    WebSocketConnectOptions o = new WebSocketConnectOptions().setAbsoluteURI(wsUrl(config.url()) + PATH)
        .addHeader("X-Hearth-Hub-Id", identity.hubId());
    // a pending link code wins: the owner asked to link (again, e.g. to a relay that lost its store)
    if (identity.linkCode().isPresent()) {
      o.addHeader("X-Hearth-Link-Code", identity.linkCode().get());
    } else if (identity.hubKey().isPresent()) {
      o.addHeader("Authorization", "HubKey " + identity.hubKey().get());
    } else {
      LOG.info("relay tunnel waits for a link [hub: {}]: the owner calls POST /api/v1/relay/link", identity.hubId());
      return;
    }
    connecting = true;
    client.connect(o).onComplete(r -> {
      connecting = false;
      if (r.failed()) {
        refused(r.cause());
        return;
      }
      if (stopped) {
        r.result().close();
        return;
      }
      opened(r.result());
    });
  }

  private void opened(WebSocket socket) {
    ws = socket;
    lastHeard = System.nanoTime();
    delayMs = config.reconnectMinDelayMs();
    LOG.info("relay tunnel up [relay: {}, hub: {}]", config.url(), identity.hubId());
    socket.textMessageHandler(this::onFrame);
    socket.pongHandler(b -> lastHeard = System.nanoTime());
    socket.drainHandler(v -> forwarder.resumeAll());
    socket.closeHandler(v -> {
      ws = null;
      vertx.cancelTimer(pingTimer);
      forwarder.closeAll();
      LOG.info("relay tunnel down [relay: {}, code: {}]", config.url(), socket.closeStatusCode());
      scheduleRetry();
    });
    pingTimer = vertx.setPeriodic(Math.max(1, config.idleTimeoutMs() / 3), t -> {
      if ((System.nanoTime() - lastHeard) / 1_000_000 > config.idleTimeoutMs()) {
        LOG.info("relay tunnel silent for {} ms, reconnecting", config.idleTimeoutMs());
        socket.close((short) 1001, "idle");
      } else {
        socket.writePing(Buffer.buffer());
      }
    });
  }

  private void refused(Throwable e) {
    if (e instanceof UpgradeRejectedException u && u.getStatus() == 401) {
      LOG.warn("the relay refused this hub [hub: {}, status: 401]: link it again (POST /api/v1/relay/link)",
          identity.hubId());
    } else {
      LOG.info("relay unreachable [relay: {}, reason: {}]; retrying", config.url(), e.getMessage());
    }
    scheduleRetry();
  }

  private void scheduleRetry() {
    if (stopped) {
      return;
    }
    long wait = config.reconnectMinDelayMs() + ThreadLocalRandom.current().nextLong(Math.max(1, delayMs));
    delayMs = Math.min(config.reconnectMaxDelayMs(), delayMs * 2);
    vertx.cancelTimer(retryTimer);
    retryTimer = vertx.setTimer(Math.min(wait, config.reconnectMaxDelayMs()), t -> connect());
  }

  private void onFrame(String text) {
    lastHeard = System.nanoTime();
    JsonObject f;
    try {
      f = new JsonObject(text);
    } catch (DecodeException e) {
      LOG.warn("malformed frame from the relay; closing the tunnel");
      ws.close((short) 1002, "malformed frame");
      return;
    }
    switch (f.getString("t", "")) {
      case TunnelFrames.LINKED -> {
        String key = f.getString("hubKey");
        vertx.executeBlocking(() -> {
          identity.linked(key);
          return null;
        }).onSuccess(v -> LOG.info("hub linked to the relay [hub: {}]", identity.hubId()))
            .onFailure(e -> LOG.error("cannot keep the hub key in {}: {}", RelayIdentity.FILE, e.getMessage()));
      }
      case TunnelFrames.REQUEST -> forwarder.request(f).onSuccess(this::send);
      case TunnelFrames.WS_OPEN -> forwarder.open(f, this::send);
      case TunnelFrames.WS_DATA -> forwarder.data(f, this::send);
      case TunnelFrames.WS_CLOSE -> forwarder.close(f);
      default -> LOG.debug("unknown frame from the relay ignored [t: {}]", f.getString("t"));
    }
  }

  /** Sends a frame to the relay; while the tunnel's write queue is full the app sockets are not read. */
  void send(JsonObject frame) {
    WebSocket socket = ws;
    if (socket == null || socket.isClosed()) {
      return; // the relay answers the app 502 for a request it lost
    }
    socket.writeTextMessage(frame.encode());
    if (socket.writeQueueFull()) {
      forwarder.pauseAll();
    }
  }

  Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(retryTimer);
    vertx.cancelTimer(pingTimer);
    WebSocket socket = ws;
    ws = null;
    Future<Void> closed = socket == null ? Future.succeededFuture() : socket.close((short) 1001, "hub stopping");
    return closed.recover(e -> Future.succeededFuture())
        .compose(v -> forwarder == null ? Future.succeededFuture() : forwarder.shutdown())
        .compose(v -> client == null ? Future.succeededFuture() : client.close());
  }

  static String wsUrl(String httpUrl) {
    return httpUrl.startsWith("https://") ? "wss://" + httpUrl.substring(8)
        : httpUrl.startsWith("http://") ? "ws://" + httpUrl.substring(7) : httpUrl;
  }
}
