package io.hearth.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The app's side of the benchmark: a keep-alive Vert.x HTTP client (up to {@code connections}
 * pooled connections) and a WebSocket client, on their own Vert.x instance so that the client's
 * work is not counted on the gateway's event loop.
 */
public final class GatewayClient implements AutoCloseable {
  private final Vertx vertx;
  private final HttpClientAgent http;
  private final WebSocketClient ws;
  private final String host;
  private final int port;

  public GatewayClient(String host, int port, int connections) {
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setDefaultHost(host).setDefaultPort(port), new PoolOptions().setHttp1MaxSize(connections));
    this.ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20)
        .setMaxMessageSize(1 << 20).setMaxConnections(1024));
  }

  public Future<JsonObject> pair(String code, String clientName) {
    return send(HttpMethod.POST, "/api/v1/auth/pair", null,
        new JsonObject().put("code", code).put("client", clientName))
        .map(r -> {
          if (r.status() != 200) {
            throw new IllegalStateException("pairing failed: " + r.status() + " " + r.body());
          }
          return new JsonObject(r.body());
        });
  }

  public Future<JsonObject> get(String token, String path) {
    return send(HttpMethod.GET, path, token, null).map(r -> {
      if (r.status() != 200) {
        throw new IllegalStateException("GET " + path + ": " + r.status() + " " + r.body());
      }
      return new JsonObject(r.body());
    });
  }

  /** {@code POST /api/v1/devices/{id}/commands} with {@code {"set":…,"wait":true}}; the status and body. */
  public Future<Resp> command(String token, String device, JsonObject set) {
    return send(HttpMethod.POST, "/api/v1/devices/" + device + "/commands", token,
        new JsonObject().put("set", set).put("wait", true));
  }

  /** A WebSocket to {@code /api/v1/ws} with the token at the upgrade. */
  public Future<WebSocket> webSocket(String token) {
    return ws.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/api/v1/ws")
        .addHeader("Authorization", "Bearer " + token));
  }

  private Future<Resp> send(HttpMethod method, String path, String token, JsonObject body) {
    Context current = Vertx.currentContext();
    if (current == null || current.owner() != vertx) {
      // from another thread (main, the gateway's or the simulator's event loops) the response could
      // complete before the body handler is attached, and its body be lost (a CI run once read an
      // empty 200): make the whole exchange on this client's own event loop
      Promise<Resp> answer = Promise.promise();
      vertx.runOnContext(v -> send(method, path, token, body).onComplete(answer));
      return answer.future();
    }
    RequestOptions options = new RequestOptions().setMethod(method).setURI(path);
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return http.request(options)
        .compose(req -> body == null ? req.send() : req.send(Buffer.buffer(body.encode())))
        .compose(resp -> resp.body().map(b -> new Resp(resp.statusCode(), b.toString())));
  }

  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    Bench.join(vertx.close(), java.time.Duration.ofSeconds(10));
  }

  /** An HTTP answer. */
  public record Resp(int status, String body) {}
}
