package io.hearth.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The mini-program's side in tests: HTTPS and WSS to the relay only, trusting its dev certificate. */
final class AppClient {
  static final Duration WAIT = Duration.ofSeconds(60);

  record Answer(int status, MultiMap headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    JsonObject expect(int expected) {
      assertEquals(expected, status, () -> "status of " + body);
      return body.isEmpty() ? new JsonObject() : json();
    }

    /** Asserts a problem+json with this status and code. */
    JsonObject problem(int expected, String code) {
      assertEquals(expected, status, () -> "status of " + body);
      assertEquals("application/problem+json", headers.get("Content-Type"), body);
      JsonObject p = json();
      assertEquals(code, p.getString("code"), body);
      return p;
    }
  }

  private final HttpClient http;
  private final WebSocketClient ws;
  private final int port;
  private final boolean ssl;

  /** @param certificate the relay's PEM certificate to trust; null: plain HTTP (the hub on the LAN) */
  AppClient(Vertx vertx, int port, String certificate) {
    this.port = port;
    this.ssl = certificate != null;
    HttpClientOptions ho = new HttpClientOptions();
    WebSocketClientOptions wo = new WebSocketClientOptions();
    if (ssl) {
      PemTrustOptions trust = new PemTrustOptions().addCertPath(certificate);
      ho.setSsl(true).setTrustOptions(trust).setVerifyHost(false);
      wo.setSsl(true).setTrustOptions(trust).setVerifyHost(false);
    }
    http = vertx.createHttpClient(ho);
    ws = vertx.createWebSocketClient(wo);
  }

  Answer call(HttpMethod method, String path, JsonObject body, Map<String, String> headers) {
    RequestOptions o = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path);
    headers.forEach(o::addHeader);
    if (body != null) {
      o.addHeader("Content-Type", "application/json");
    }
    return sync(http.request(o)
        .compose(req -> body == null ? req.send() : req.send(body.toBuffer()))
        .compose(res -> res.body().map(b -> new Answer(res.statusCode(), res.headers(), b.toString()))));
  }

  /** Waits for {@code f} (at most {@link #WAIT}); its failure is rethrown as is when unchecked. */
  static <T> T sync(io.vertx.core.Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError(e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer within " + WAIT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  Socket socket(String path, Map<String, String> headers) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path)
        .setSsl(ssl);
    headers.forEach(o::addHeader);
    WebSocket s = sync(ws.connect(o));
    return new Socket(s);
  }

  /** An app WebSocket with its incoming messages queued. */
  static final class Socket {
    final WebSocket ws;
    final BlockingQueue<JsonObject> in = new LinkedBlockingQueue<>();
    private int nextId = 1;

    Socket(WebSocket ws) {
      this.ws = ws;
      ws.textMessageHandler(t -> in.add(new JsonObject(t)));
    }

    /** Sends a request and returns its {@code result} (ok or not). */
    JsonObject request(JsonObject msg) {
      int id = nextId++;
      ws.writeTextMessage(msg.put("id", id).encode());
      return next(m -> Integer.valueOf(id).equals(m.getInteger("id")));
    }

    /** The next message matching {@code p}, skipping others; fails after {@link #WAIT}. */
    JsonObject next(Predicate<JsonObject> p) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      try {
        while (true) {
          long left = deadline - System.nanoTime();
          JsonObject m = left <= 0 ? null : in.poll(left, TimeUnit.NANOSECONDS);
          if (m == null) {
            throw new AssertionError("no matching message within " + WAIT);
          }
          if (p.test(m)) {
            return m;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    void close() {
      sync(ws.close());
    }
  }
}
