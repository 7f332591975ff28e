package io.hearth.gateway.ws;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A test client of the app WebSocket: records every message it receives, in order. */
abstract class WsProbe implements AutoCloseable {
  /** The owner's access token every probe presents at the upgrade (set by {@link WsGateway}); null: none. */
  static volatile String bearer;

  static final Duration WAIT = Duration.ofSeconds(20);

  private final List<JsonObject> received = new ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  /** Completes with the close code when the server closes the connection. */
  final CompletableFuture<Integer> closed = new CompletableFuture<>();

  abstract void sendText(String text);

  /** Called by the implementations for every text message. */
  final void receivedText(String text) {
    JsonObject m = new JsonObject(text);
    synchronized (received) {
      received.add(m);
    }
  }

  List<JsonObject> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  List<JsonObject> events() {
    return received().stream().filter(m -> "event".equals(m.getString("type"))).toList();
  }

  List<JsonObject> events(Predicate<JsonObject> p) {
    return events().stream().filter(p).toList();
  }

  /** Sends a request with the next id and returns the message answering it. */
  JsonObject request(JsonObject msg) {
    int id = ids.incrementAndGet();
    sendText(msg.copy().put("id", id).encode());
    return awaitMessage(m -> Integer.valueOf(id).equals(m.getInteger("id")));
  }

  /** The result of a request that must succeed. */
  JsonObject ok(JsonObject msg) {
    JsonObject answer = request(msg);
    if (!Boolean.TRUE.equals(answer.getBoolean("ok"))) {
      throw new AssertionError("request failed: " + msg + " → " + answer);
    }
    return answer.getJsonObject("result");
  }

  JsonObject awaitMessage(Predicate<JsonObject> p) {
    await().atMost(WAIT).alias("message received").until(() -> received().stream().anyMatch(p));
    return received().stream().filter(p).findFirst().orElseThrow();
  }

  /** Waits until {@code n} events match and returns them. */
  List<JsonObject> awaitEvents(Predicate<JsonObject> p, int n) {
    await().atMost(WAIT).alias("events received").until(() -> events(p).size(), size -> size >= n);
    return events(p);
  }

  static JsonObject subscribe() {
    return new JsonObject().put("type", "subscribe");
  }
}
