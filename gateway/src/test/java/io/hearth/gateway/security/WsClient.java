package io.hearth.gateway.security;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A client of the app WebSocket that is not ours (the JDK's {@link java.net.http.WebSocket}), with
 * an optional bearer token and {@code Origin} at the upgrade. Records every message, in order.
 */
final class WsClient implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(20);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final WebSocket ws;
  private final List<JsonObject> received = new ArrayList<>();
  private final StringBuilder partial = new StringBuilder();
  private final AtomicInteger ids = new AtomicInteger();
  /** Completes with the close code when the server closes the connection (-1: error). */
  final CompletableFuture<Integer> closed = new CompletableFuture<>();

  private WsClient(URI uri, String token, String origin) throws Exception {
    WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    if (origin != null) {
      builder.header("Origin", origin);
    }
    ws = builder.buildAsync(uri, new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          JsonObject m = new JsonObject(partial.toString());
          partial.setLength(0);
          synchronized (received) {
            received.add(m);
          }
        }
        webSocket.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
      }

      @Override
      public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
      }
    }).get(10, TimeUnit.SECONDS);
  }

  static URI uri(TestGateway gw) {
    return URI.create("ws://127.0.0.1:" + gw.httpPort() + "/api/v1/ws");
  }

  /** Opens a connection; fails the test if the upgrade is refused. */
  static WsClient open(TestGateway gw, String token, String origin) throws Exception {
    return new WsClient(uri(gw), token, origin);
  }

  /** The HTTP status of an upgrade: 101 when it opened (then closed again), else the refusal's status. */
  static int upgradeStatus(TestGateway gw, String token, String origin) throws Exception {
    try (WsClient c = new WsClient(uri(gw), token, origin)) {
      return 101;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        return h.getResponse().statusCode();
      }
      throw e;
    }
  }

  void send(JsonObject msg) {
    sendText(msg.encode());
  }

  /** Sends text as it is (a message a JsonObject cannot hold, such as one with a repeated key). */
  void sendText(String text) {
    ws.sendText(text, true).join();
  }

  /** Sends a request with the next id and returns the message answering it. */
  JsonObject request(JsonObject msg) {
    int id = ids.incrementAndGet();
    send(msg.copy().put("id", id));
    return awaitMessage(m -> Integer.valueOf(id).equals(m.getInteger("id")));
  }

  /** Sends requests without waiting; returns their ids. */
  List<Integer> pipeline(List<JsonObject> msgs) {
    List<Integer> sent = new ArrayList<>();
    for (JsonObject m : msgs) {
      int id = ids.incrementAndGet();
      send(m.copy().put("id", id));
      sent.add(id);
    }
    return sent;
  }

  /** The result of a request that must succeed. */
  JsonObject ok(JsonObject msg) {
    JsonObject answer = request(msg);
    if (!Boolean.TRUE.equals(answer.getBoolean("ok"))) {
      throw new AssertionError("request failed: " + msg + " → " + answer);
    }
    return answer.getJsonObject("result");
  }

  /** The error code of an answer, or null for a success (a result with ok:true, or a pong). */
  static String code(JsonObject answer) {
    if ("pong".equals(answer.getString("type")) || Boolean.TRUE.equals(answer.getBoolean("ok"))) {
      return null;
    }
    JsonObject error = answer.getJsonObject("error");
    return error == null ? "no error in " + answer : error.getString("code");
  }

  List<JsonObject> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  List<JsonObject> events(Predicate<JsonObject> p) {
    return received().stream().filter(m -> "event".equals(m.getString("type"))).filter(p).toList();
  }

  JsonObject awaitMessage(Predicate<JsonObject> p) {
    await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).alias("message received")
        .until(() -> received().stream().anyMatch(p));
    return received().stream().filter(p).findFirst().orElseThrow();
  }

  /** The server's close code, waiting for it. */
  int awaitClose() throws Exception {
    return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (!ws.isOutputClosed()) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
    }
    ws.abort();
  }
}
