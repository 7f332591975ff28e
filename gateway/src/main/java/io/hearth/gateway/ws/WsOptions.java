package io.hearth.gateway.ws;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of the app's WebSocket ({@code /api/v1/ws}).
 *
 * @param idleTimeout       a connection from which nothing (no message, no pong) arrived for this
 *                          long is closed; the server pings every third of it
 * @param authTimeout       a connection not authenticated after this long is closed
 * @param maxFrameBytes     largest frame a client may send (larger: the connection is closed, 1009)
 * @param maxMessageBytes   largest message (all frames of one message) a client may send
 * @param maxQueuedMessages messages waiting for a slow client, beyond which it gets {@code overflow}
 * @param maxQueuedBytes    the same bound in bytes (characters) of waiting messages
 * @param writeQueueBytes   bytes handed to the socket before its write queue counts as full
 * @param maxSubscriptions  subscriptions per connection
 * @param maxConnections    connections at once, for the whole gateway (more: 503 at the upgrade)
 * @param replayPage        events read from the log per replay step
 * @param sendBufferBytes   the HTTP server's socket send buffer (SO_SNDBUF), 0 for the OS default
 *                          (autotuned, up to megabytes per connection on Linux); a small value bounds
 *                          what a stalled client holds in the kernel too, and makes it overflow sooner
 */
public record WsOptions(Duration idleTimeout, Duration authTimeout, int maxFrameBytes, int maxMessageBytes,
    int maxQueuedMessages, int maxQueuedBytes, int writeQueueBytes, int maxSubscriptions, int maxConnections,
    int replayPage, int sendBufferBytes) {

  /** 60 s idle, 10 s to authenticate, 64 KiB frames and messages, 1,000 messages or 1 MiB queued. */
  public static final WsOptions DEFAULTS = new WsOptions(Duration.ofSeconds(60), Duration.ofSeconds(10), 64 * 1024,
      64 * 1024, 1_000, 1024 * 1024, 64 * 1024, 16, 512, 200, 0);

  public WsOptions {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(authTimeout, "authTimeout");
    if (idleTimeout.toMillis() < 3 || maxFrameBytes < 1024 || maxMessageBytes < maxFrameBytes
        || maxQueuedMessages < 8 || maxQueuedBytes < 1024 || writeQueueBytes < 1024 || maxSubscriptions < 1
        || maxConnections < 1 || replayPage < 1 || sendBufferBytes < 0) {
      throw new IllegalArgumentException("WebSocket options out of range: " + this);
    }
  }

  public WsOptions withIdleTimeout(Duration d) {
    return new WsOptions(d, authTimeout, maxFrameBytes, maxMessageBytes, maxQueuedMessages, maxQueuedBytes,
        writeQueueBytes, maxSubscriptions, maxConnections, replayPage, sendBufferBytes);
  }

  public WsOptions withQueue(int messages, int bytes, int writeQueue) {
    return new WsOptions(idleTimeout, authTimeout, maxFrameBytes, maxMessageBytes, messages, bytes, writeQueue,
        maxSubscriptions, maxConnections, replayPage, sendBufferBytes);
  }

  public WsOptions withSendBufferBytes(int bytes) {
    return new WsOptions(idleTimeout, authTimeout, maxFrameBytes, maxMessageBytes, maxQueuedMessages, maxQueuedBytes,
        writeQueueBytes, maxSubscriptions, maxConnections, replayPage, bytes);
  }

  /** How often the server pings: a third of the idle timeout. */
  public long pingIntervalMs() {
    return Math.max(1, idleTimeout.toMillis() / 3);
  }
}
