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
 * @param maxConnections    authenticated connections at once, for the whole gateway (more: 503 at
 *                          the upgrade, or a close 1008 after a late {@code auth})
 * @param maxUnauthenticated connections not yet authenticated at once (more: 503 at the upgrade); a
 *                          pool of their own, so sockets that never authenticate cannot lock users out
 * @param maxPerUser        authenticated connections of one user at once (more: 429 at the upgrade,
 *                          or a close 1008 after a late {@code auth})
 * @param replayPage        events read from the log per replay step
 * @param sendBufferBytes   the HTTP server's socket send buffer (SO_SNDBUF), 0 for the OS default
 *                          (autotuned, up to megabytes per connection on Linux); a small value bounds
 *                          what a stalled client holds in the kernel too, and makes it overflow sooner
 */
public record WsOptions(Duration idleTimeout, Duration authTimeout, int maxFrameBytes, int maxMessageBytes,
    int maxQueuedMessages, int maxQueuedBytes, int writeQueueBytes, int maxSubscriptions, int maxConnections,
    int maxUnauthenticated, int maxPerUser, int replayPage, int sendBufferBytes) {

  /**
   * 60 s idle, 5 s to authenticate, 64 KiB frames and messages, 1,000 messages or 1 MiB queued, 512
   * authenticated connections (16 per user) and 32 unauthenticated ones.
   */
  public static final WsOptions DEFAULTS = new WsOptions(Duration.ofSeconds(60), Duration.ofSeconds(5), 64 * 1024,
      64 * 1024, 1_000, 1024 * 1024, 64 * 1024, 16, 512, 32, 16, 200, 0);

  public WsOptions {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(authTimeout, "authTimeout");
    if (idleTimeout.toMillis() < 3 || maxFrameBytes < 1024 || maxMessageBytes < maxFrameBytes
        || maxQueuedMessages < 8 || maxQueuedBytes < 1024 || writeQueueBytes < 1024 || maxSubscriptions < 1
        || maxConnections < 1 || maxUnauthenticated < 1 || maxPerUser < 1 || replayPage < 1 || sendBufferBytes < 0) {
      throw new IllegalArgumentException("WebSocket options out of range: " + this);
    }
  }

  public WsOptions withIdleTimeout(Duration d) {
    return new WsOptions(d, authTimeout, maxFrameBytes, maxMessageBytes, maxQueuedMessages, maxQueuedBytes,
        writeQueueBytes, maxSubscriptions, maxConnections, maxUnauthenticated, maxPerUser, replayPage, sendBufferBytes);
  }

  public WsOptions withQueue(int messages, int bytes, int writeQueue) {
    return new WsOptions(idleTimeout, authTimeout, maxFrameBytes, maxMessageBytes, messages, bytes, writeQueue,
        maxSubscriptions, maxConnections, maxUnauthenticated, maxPerUser, replayPage, sendBufferBytes);
  }

  public WsOptions withSendBufferBytes(int bytes) {
    return new WsOptions(idleTimeout, authTimeout, maxFrameBytes, maxMessageBytes, maxQueuedMessages, maxQueuedBytes,
        writeQueueBytes, maxSubscriptions, maxConnections, maxUnauthenticated, maxPerUser, replayPage, bytes);
  }

  /** Other admission bounds: authenticated connections, unauthenticated ones, per user; and the auth deadline. */
  public WsOptions withAdmission(int connections, int unauthenticated, int perUser, Duration authDeadline) {
    return new WsOptions(idleTimeout, authDeadline, maxFrameBytes, maxMessageBytes, maxQueuedMessages, maxQueuedBytes,
        writeQueueBytes, maxSubscriptions, connections, unauthenticated, perUser, replayPage, sendBufferBytes);
  }

  /** How often the server pings: a third of the idle timeout. */
  public long pingIntervalMs() {
    return Math.max(1, idleTimeout.toMillis() / 3);
  }
}
