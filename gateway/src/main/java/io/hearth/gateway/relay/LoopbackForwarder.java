package io.hearth.gateway.relay;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes what comes through the tunnel against the hub's OWN app API on its loopback listener
 * (docs/relay.md, "The hub stays the authority"): the same router, tokens, roles, validation and
 * limits as a LAN client. Only {@code /api/v1/…} is reachable, with the app's headers
 * ({@link TunnelFrames#REQUEST_HEADERS}) and nothing the relay adds.
 *
 * <p>Bounds: a REST answer larger than {@code relay.maxResponseBytes} is not sent (502); at most
 * {@code relay.maxStreams} app WebSockets at once (503); a stream whose loopback socket cannot take
 * more is closed (1008) rather than queued without end; while the tunnel's own write queue is full,
 * every loopback socket stops being read ({@link #pauseAll}) so the gateway's per-connection bound
 * (docs/websocket.md, "Slow clients") takes over.
 */
final class LoopbackForwarder {
  private static final Logger LOG = LoggerFactory.getLogger(LoopbackForwarder.class);
  private static final String API = "/api/v1/";

  private final HttpClient http;
  private final WebSocketClient wsClient;
  private final String host;
  private final int port;
  private final boolean ssl;
  private final int maxResponseBytes;
  private final int maxStreams;
  private final Map<Long, WebSocket> streams = new HashMap<>();
  private final Map<Long, Boolean> opening = new HashMap<>();
  private boolean paused;

  LoopbackForwarder(Vertx vertx, String host, int port, boolean ssl, int maxResponseBytes, int maxStreams) {
    this.host = host;
    this.port = port;
    this.ssl = ssl;
    this.maxResponseBytes = maxResponseBytes;
    this.maxStreams = maxStreams;
    // the hub's own certificate on loopback: no name to check, nothing in between
    this.http = vertx.createHttpClient(new HttpClientOptions().setSsl(ssl).setTrustAll(ssl).setVerifyHost(false)
        .setKeepAlive(true));
    this.wsClient = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(ssl).setTrustAll(ssl)
        .setVerifyHost(false).setMaxFrameSize(65536).setMaxMessageSize(maxResponseBytes));
  }

  /** A {@code req} frame → the hub's answer as a {@code res} frame (never fails). */
  Future<JsonObject> request(JsonObject f) {
    long id = f.getLong("id", -1L);
    String path = f.getString("path", "");
    HttpMethod method;
    try {
      method = HttpMethod.valueOf(f.getString("method", "GET"));
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(TunnelFrames.problem(id, 400, "MALFORMED_REQUEST", "unknown method"));
    }
    if (!path.startsWith(API)) {
      return Future.succeededFuture(TunnelFrames.problem(id, 404, "NOT_FOUND", "only /api/v1/ is reachable through the relay"));
    }
    RequestOptions o = new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(path)
        .setHeaders(headers(f.getJsonObject("headers")));
    return http.request(o).compose(req -> req.send(TunnelFrames.decode(f.getString("body"))))
        .compose(res -> collect(id, res))
        .recover(e -> {
          LOG.debug("forwarded request failed [id: {}, reason: {}]", id, e.getMessage());
          return Future.succeededFuture(TunnelFrames.problem(id, 502, "UNAVAILABLE",
              "the hub could not serve the request: " + e.getClass().getSimpleName()));
        });
  }

  private Future<JsonObject> collect(long id, HttpClientResponse res) {
    Buffer body = Buffer.buffer();
    boolean[] tooLarge = {false};
    res.handler(chunk -> {
      if (body.length() + chunk.length() > maxResponseBytes) {
        tooLarge[0] = true;
      } else {
        body.appendBuffer(chunk);
      }
    });
    return res.end().map(v -> tooLarge[0]
        ? TunnelFrames.problem(id, 502, "RESPONSE_TOO_LARGE",
            "the answer is over relay.maxResponseBytes (" + maxResponseBytes + " bytes); ask for less, or use the LAN")
        : new JsonObject().put("t", TunnelFrames.RESPONSE).put("id", id).put("status", res.statusCode())
            .put("headers", responseHeaders(res.headers())).put("body", TunnelFrames.encode(body)));
  }

  /** A {@code ws_open} frame: opens the hub's own WebSocket; frames for the relay go to {@code out}. */
  void open(JsonObject f, Consumer<JsonObject> out) {
    long id = f.getLong("id", -1L);
    String path = f.getString("path", "");
    if (!path.startsWith(API)) {
      out.accept(reject(TunnelFrames.problem(id, 404, "NOT_FOUND", "only /api/v1/ is reachable through the relay")));
      return;
    }
    if (streams.size() + opening.size() >= maxStreams) {
      out.accept(reject(TunnelFrames.problem(id, 503, "UNAVAILABLE",
          "too many app sockets through the relay (relay.maxStreams " + maxStreams + ")")));
      return;
    }
    opening.put(id, true);
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(host).setPort(port).setURI(path).setSsl(ssl)
        .setHeaders(headers(f.getJsonObject("headers")));
    wsClient.connect(o).onComplete(r -> {
      boolean stillWanted = opening.remove(id) != null;
      if (r.failed()) {
        out.accept(rejection(id, r.cause()));
        return;
      }
      WebSocket ws = r.result();
      if (!stillWanted) { // the app went away meanwhile
        ws.close();
        return;
      }
      streams.put(id, ws);
      ws.textMessageHandler(text -> out.accept(new JsonObject().put("t", TunnelFrames.WS_DATA).put("id", id)
          .put("text", text)));
      ws.closeHandler(v -> {
        if (streams.remove(id) != null) {
          Short code = ws.closeStatusCode();
          out.accept(new JsonObject().put("t", TunnelFrames.WS_CLOSE).put("id", id)
              .put("code", code == null ? 1001 : (int) code).put("reason", ws.closeReason()));
        }
      });
      if (paused) {
        ws.pause();
      }
      out.accept(new JsonObject().put("t", TunnelFrames.WS_ACCEPT).put("id", id));
    });
  }

  /** A {@code ws_data} frame from the app. */
  void data(JsonObject f, Consumer<JsonObject> out) {
    long id = f.getLong("id", -1L);
    WebSocket ws = streams.get(id);
    if (ws == null) {
      return;
    }
    if (ws.writeQueueFull()) {
      streams.remove(id);
      ws.close((short) 1008, "overflow");
      out.accept(new JsonObject().put("t", TunnelFrames.WS_CLOSE).put("id", id).put("code", 1008).put("reason", "overflow"));
      return;
    }
    ws.writeTextMessage(f.getString("text", ""));
  }

  /** A {@code ws_close} frame: the app's socket closed. */
  void close(JsonObject f) {
    long id = f.getLong("id", -1L);
    opening.remove(id);
    WebSocket ws = streams.remove(id);
    if (ws != null) {
      ws.close((short) 1000, "app closed");
    }
  }

  void pauseAll() {
    paused = true;
    streams.values().forEach(WebSocket::pause);
  }

  void resumeAll() {
    paused = false;
    streams.values().forEach(WebSocket::resume);
  }

  /** The tunnel is gone: every app socket with it. */
  void closeAll() {
    opening.clear();
    new ArrayList<>(streams.values()).forEach(ws -> ws.close((short) 1001, "relay tunnel closed"));
    streams.clear();
    paused = false;
  }

  int openStreams() {
    return streams.size();
  }

  Future<Void> shutdown() {
    closeAll();
    return Future.join(http.close(), wsClient.close()).mapEmpty();
  }

  private static JsonObject reject(JsonObject problemResponse) {
    return problemResponse.put("t", TunnelFrames.WS_REJECT);
  }

  private static JsonObject rejection(long id, Throwable e) {
    if (e instanceof UpgradeRejectedException u) {
      return new JsonObject().put("t", TunnelFrames.WS_REJECT).put("id", id).put("status", u.getStatus())
          .put("headers", responseHeaders(u.getHeaders())).put("body", TunnelFrames.encode(u.getBody()));
    }
    return reject(TunnelFrames.problem(id, 502, "UNAVAILABLE", "the hub could not open the socket"));
  }

  private static MultiMap headers(JsonObject from) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    if (from != null) {
      for (String n : TunnelFrames.REQUEST_HEADERS) {
        Object v = from.getValue(n);
        if (v instanceof String s) {
          h.set(n, s);
        }
      }
    }
    return h;
  }

  private static JsonObject responseHeaders(MultiMap from) {
    JsonObject out = new JsonObject();
    if (from != null) {
      for (String n : TunnelFrames.RESPONSE_HEADERS) {
        String v = from.get(n);
        if (v != null) {
          out.put(n, v);
        }
      }
    }
    return out;
  }
}
