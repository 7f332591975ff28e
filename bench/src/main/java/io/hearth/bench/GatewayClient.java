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
import io.vertx.core.net.PemTrustOptions;
import java.util.Map;
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
  private final String prefix;
  private final Map<String, String> headers;

  public GatewayClient(String host, int port, int connections) {
    this(host, port, connections, null, "", Map.of());
  }

  /**
   * @param trustPem the server's certificate (PEM) to trust over TLS, or null for plain HTTP
   * @param prefix   put before every path (the relay's {@code /homes/{hubId}}), or ""
   * @param headers  sent with every request (the relay's session header)
   */
  private GatewayClient(String host, int port, int connections, String trustPem, String prefix,
      Map<String, String> headers) {
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.headers = Map.copyOf(headers);
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setDefaultHost(host).setDefaultPort(port);
    if (trustPem != null) {
      options.setSsl(true).setTrustOptions(new PemTrustOptions().addCertPath(trustPem));
    }
    this.http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(connections));
    this.ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20)
        .setMaxMessageSize(1 << 20).setMaxConnections(1024));
  }

  /**
   * A client of a relay (HTTP only): HTTPS trusting {@code trustPem}, every path under {@code prefix}
   * (the app API's {@code /homes/{hubId}}, or "" for the relay's own {@code /relay/v1}), the relay's
   * session header on every request (docs/relay.md).
   */
  public static GatewayClient relayed(String host, int port, String trustPem, String prefix,
      Map<String, String> headers) {
    return new GatewayClient(host, port, 4, Objects.requireNonNull(trustPem, "trustPem"), prefix, headers);
  }

  /** {@code POST path} with a JSON body (and a token if not null): the status and body. */
  public Future<Resp> post(String token, String path, JsonObject body) {
    return send(HttpMethod.POST, path, token, body);
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
    if (!prefix.isEmpty()) {
      return Future.failedFuture(new UnsupportedOperationException("the relayed client is HTTP only"));
    }
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
    RequestOptions options = new RequestOptions().setMethod(method).setURI(prefix + path);
    headers.forEach(options::putHeader);
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
