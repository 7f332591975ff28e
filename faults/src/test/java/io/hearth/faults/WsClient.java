package io.hearth.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket listener (the JDK's client) that keeps the text messages and the close code. */
final class WsClient implements WebSocket.Listener {
  final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  volatile boolean opened;
  private final StringBuilder partial = new StringBuilder();

  @Override
  public void onOpen(WebSocket webSocket) {
    opened = true;
    webSocket.request(Long.MAX_VALUE);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      messages.add(partial.toString());
      partial.setLength(0);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(-2);
  }

  JsonObject next(Duration deadline) throws InterruptedException {
    String m = messages.poll(deadline.toMillis(), TimeUnit.MILLISECONDS);
    assertTrue(m != null, "no message within " + deadline);
    return new JsonObject(m);
  }
}
