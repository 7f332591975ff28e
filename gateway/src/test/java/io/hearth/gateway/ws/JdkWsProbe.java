package io.hearth.gateway.ws;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A client that is not ours: the JDK's {@link java.net.http.WebSocket}. */
final class JdkWsProbe extends WsProbe {
  private final WebSocket ws;
  private final StringBuilder partial = new StringBuilder();

  JdkWsProbe(String url) throws Exception {
    WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
    if (bearer != null) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    ws = builder.buildAsync(URI.create(url), new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          receivedText(partial.toString());
          partial.setLength(0);
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

  @Override
  void sendText(String text) {
    ws.sendText(text, true).join();
  }

  void sendPing() {
    ws.sendPing(ByteBuffer.wrap(new byte[] {1})).join();
  }

  /** Drops the TCP connection without a close handshake (the phone went to the background). */
  void abort() {
    ws.abort();
  }

  @Override
  public void close() {
    if (!ws.isOutputClosed()) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
    }
    ws.abort();
  }
}
