package io.hearth.relay.tunnel;

import io.hearth.relay.config.RelayConfig;
import io.hearth.relay.http.RelayError;
import io.hearth.relay.http.RelayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's end of one hub's tunnel: REST requests in flight (each with its timer) and app
 * WebSocket streams, multiplexed by frame id over the hub's one WebSocket. Runs on the event loop
 * that accepted the tunnel; everything that touches it hops there first ({@link #run}).
 *
 * <p>Bounds (docs/relay.md, "Flow control"): at most {@code tunnel.maxRequestsPerHub} requests and
 * {@code tunnel.maxStreamsPerHub} streams at once (more: 503 {@code HUB_BUSY}); when the tunnel's
 * write queue is full every app socket of this hub stops being read until it drains; an app socket
 * whose own write queue passes {@code tunnel.streamQueueBytes} is closed (1008 overflow).
 */
public final class HubTunnel {
  private static final Logger LOG = LoggerFactory.getLogger(HubTunnel.class);

  private final Vertx vertx;
  private final String hubId;
  private final ServerWebSocket ws;
  private final RelayConfig.Tunnel limits;
  private final io.vertx.core.Context context;
  private final Map<Long, Pending> requests = new HashMap<>();
  private final Map<Long, AppStream> streams = new HashMap<>();
  private final Consumer<JsonObject> alerts;
  private long nextId = 1;
  private volatile long lastHeard = System.nanoTime();
  private boolean closed;

  private record Pending(Promise<TunnelResponse> promise, long timer) {}

  HubTunnel(Vertx vertx, String hubId, ServerWebSocket ws, RelayConfig.Tunnel limits, Consumer<JsonObject> alerts) {
    this.vertx = vertx;
    this.hubId = Objects.requireNonNull(hubId);
    this.ws = Objects.requireNonNull(ws);
    this.limits = limits;
    this.alerts = alerts;
    this.context = vertx.getOrCreateContext();
    ws.setWriteQueueMaxSize(limits.streamQueueBytes());
    ws.textMessageHandler(this::onText);
    ws.drainHandler(v -> streams.values().forEach(AppStream::resumeReading));
  }

  public String hubId() {
    return hubId;
  }

  /** Runs {@code r} on this tunnel's context. */
  void run(Runnable r) {
    context.runOnContext(v -> r.run());
  }

  /** Forwards a REST request; fails with a {@link RelayException} (busy, lost, timeout). */
  public Future<TunnelResponse> request(String method, String path, JsonObject headers, Buffer body) {
    Promise<TunnelResponse> p = Promise.promise();
    run(() -> {
      RelayException refused = refusal(requests.size(), limits.maxRequestsPerHub(), "requests in flight");
      if (refused != null) {
        p.fail(refused);
        return;
      }
      long id = nextId++;
      long timer = vertx.setTimer(limits.requestTimeoutMs(), t -> {
        if (requests.remove(id) != null) {
          p.tryFail(new RelayException(RelayError.HUB_TIMEOUT,
              "the hub did not answer within " + limits.requestTimeoutMs() + " ms (tunnel.requestTimeoutMs)"));
        }
      });
      requests.put(id, new Pending(p, timer));
      send(new JsonObject().put("t", Frames.REQUEST).put("id", id).put("method", method).put("path", path)
          .put("headers", headers).put("body", Frames.encode(body)));
    });
    return p.future();
  }

  /** Asks the hub to open a WebSocket for an app; the stream is accepted or refused by the hub. */
  public Future<AppStream> openStream(String path, JsonObject headers) {
    Promise<AppStream> p = Promise.promise();
    run(() -> {
      RelayException refused = refusal(streams.size(), limits.maxStreamsPerHub(), "app sockets");
      if (refused != null) {
        p.fail(refused);
        return;
      }
      long id = nextId++;
      AppStream s = new AppStream(this, id, p);
      streams.put(id, s);
      send(new JsonObject().put("t", Frames.WS_OPEN).put("id", id).put("path", path).put("headers", headers));
    });
    return p.future();
  }

  /** Why a new request or stream cannot go through now (offline, or at its bound), or null. */
  private RelayException refusal(int inUse, int max, String what) {
    if (closed) {
      return new RelayException(RelayError.HUB_OFFLINE, "hub " + hubId + " is offline");
    }
    return inUse >= max ? new RelayException(RelayError.HUB_BUSY, "too many " + what + " through this hub's tunnel ("
        + max + ")", 1) : null;
  }

  /** Sends a frame; true if the tunnel's write queue still has room. */
  boolean send(JsonObject frame) {
    if (closed) {
      return false;
    }
    ws.writeTextMessage(frame.encode());
    return !ws.writeQueueFull();
  }

  void streamEnded(long id) {
    streams.remove(id);
  }

  /** Something (a frame, a pong) came from the hub. */
  void heard() {
    lastHeard = System.nanoTime();
  }

  long lastHeardNanos() {
    return lastHeard;
  }

  private void onText(String text) {
    heard();
    JsonObject f;
    try {
      f = new JsonObject(text);
    } catch (DecodeException e) {
      LOG.warn("malformed tunnel frame, closing [hub: {}]", hubId);
      ws.close((short) 1002, "malformed frame");
      return;
    }
    long id = f.getLong("id", -1L);
    switch (f.getString("t", "")) {
      case Frames.RESPONSE -> {
        Pending p = requests.remove(id);
        if (p != null) {
          vertx.cancelTimer(p.timer());
          p.promise().tryComplete(TunnelResponse.of(f));
        }
      }
      case Frames.WS_ACCEPT, Frames.WS_REJECT, Frames.WS_DATA, Frames.WS_CLOSE -> {
        AppStream s = streams.get(id);
        if (s != null) {
          s.fromHub(f);
        }
      }
      case Frames.ALERT -> alerts.accept(f.put("hubId", hubId)); // the tunnel names the hub, never the frame
      default -> LOG.debug("unknown tunnel frame ignored [hub: {}, t: {}]", hubId, f.getString("t"));
    }
  }

  /** The tunnel went away: every request in flight fails 502, every app socket closes (1012). */
  void closed() {
    if (closed) {
      return;
    }
    closed = true;
    List<Pending> lost = new ArrayList<>(requests.values());
    requests.clear();
    lost.forEach(p -> {
      vertx.cancelTimer(p.timer());
      p.promise().tryFail(new RelayException(RelayError.HUB_CONNECTION_LOST,
          "the hub's connection to the relay was lost before it answered; the request may or may not have been executed"));
    });
    new ArrayList<>(streams.values()).forEach(AppStream::tunnelLost);
    streams.clear();
  }

  /** Closes the tunnel (another connection of the same hub replaced it, or the relay stops). */
  void close(short code, String reason) {
    if (!ws.isClosed()) {
      ws.close(code, reason);
    }
    closed();
  }

  boolean writeQueueFull() {
    return ws.writeQueueFull();
  }

  int maxStreamQueueBytes() {
    return limits.streamQueueBytes();
  }
}
