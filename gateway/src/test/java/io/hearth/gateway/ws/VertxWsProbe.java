package io.hearth.gateway.ws;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/** A Vert.x WebSocket client (on its own Vert.x instance). */
final class VertxWsProbe extends WsProbe {
  private final Vertx vertx = Vertx.vertx();
  /** Held on purpose: an unreachable WebSocketClient is cleaned up by the GC, closing its sockets. */
  private final WebSocketClient client;
  final WebSocket ws;

  VertxWsProbe(String url) throws Exception {
    this(url, new WebSocketClientOptions());
  }

  VertxWsProbe(String url, WebSocketClientOptions options) throws Exception {
    URI uri = URI.create(url);
    client = vertx.createWebSocketClient(options.setMaxFrameSize(1024 * 1024).setMaxMessageSize(1024 * 1024));
    WebSocketConnectOptions connect = new WebSocketConnectOptions().setHost(uri.getHost()).setPort(uri.getPort())
        .setURI(uri.getPath());
    if (bearer != null) {
      connect.addHeader("Authorization", "Bearer " + bearer);
    }
    ws = client.connect(connect)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    ws.textMessageHandler(this::receivedText);
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode() == null ? -1 : (int) ws.closeStatusCode()));
  }

  @Override
  void sendText(String text) {
    try {
      ws.writeTextMessage(text).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      ws.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // already closed
    }
    client.close();
    vertx.close();
  }
}
