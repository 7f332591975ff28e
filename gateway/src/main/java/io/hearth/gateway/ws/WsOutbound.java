package io.hearth.gateway.ws;

import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded queue of messages waiting for one client. Messages go to the socket while its write
 * queue has room ({@code writeQueueFull()}), the rest wait here; past
 * {@link WsOptions#maxQueuedMessages()} or {@link WsOptions#maxQueuedBytes()} the client gets
 * {@code {"type":"overflow"}} and the connection is closed, so a slow client never holds more than
 * that in memory and never slows anyone else. Used on the connection's context only.
 */
final class WsOutbound {
  /** Close code sent with {@code overflow} (policy violation). */
  static final short OVERFLOW_CLOSE = 1008;
  private static final Logger LOG = LoggerFactory.getLogger(WsOutbound.class);

  private final ServerWebSocket ws;
  private final Context context;
  private final WsOptions options;
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private final List<Runnable> roomWaiters = new ArrayList<>();
  private long queuedChars;
  private boolean closed;
  private Runnable closeWhenEmpty; // set while closing after the queue is sent

  WsOutbound(ServerWebSocket ws, Context context, WsOptions options) {
    this.ws = Objects.requireNonNull(ws, "ws");
    this.context = Objects.requireNonNull(context, "context");
    this.options = Objects.requireNonNull(options, "options");
    ws.setWriteQueueMaxSize(options.writeQueueBytes());
    ws.drainHandler(v -> drain());
  }

  /** Queues a message; false when the client overflowed (the connection is then closing). */
  boolean offer(String text) {
    if (closed || closeWhenEmpty != null || ws.isClosed()) {
      return false;
    }
    if (queue.isEmpty() && !ws.writeQueueFull()) {
      ws.writeTextMessage(text);
      return true;
    }
    if (queue.size() >= options.maxQueuedMessages() || queuedChars + text.length() > options.maxQueuedBytes()) {
      overflow();
      return false;
    }
    queue.addLast(text);
    queuedChars += text.length();
    return true;
  }

  /** Messages waiting here (not yet handed to the socket). */
  int queued() {
    return queue.size();
  }

  /** Room for a replay step: how many messages may be added now without nearing the bound. */
  int room() {
    return closed ? 0 : Math.max(0, options.maxQueuedMessages() / 2 - queue.size());
  }

  /** Runs {@code r} (once, on the context) when {@link #room()} is positive. */
  void whenRoom(Runnable r) {
    if (room() > 0) {
      context.runOnContext(v -> r.run());
    } else if (!closed) {
      roomWaiters.add(r);
    }
  }

  boolean isClosed() {
    return closed;
  }

  /** The client overflowed: tell it, close, forget the queue. */
  void overflow() {
    if (closed) {
      return;
    }
    LOG.info("WebSocket client too slow, closed [remote: {}, queued: {}]", ws.remoteAddress(), queue.size());
    closeWith("{\"type\":\"overflow\"}", OVERFLOW_CLOSE, "overflow");
  }

  /** Sends a last message past the queue, then closes. */
  void closeWith(String lastMessage, short code, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    queue.clear();
    queuedChars = 0;
    roomWaiters.clear();
    if (!ws.isClosed()) {
      if (lastMessage != null) {
        ws.writeTextMessage(lastMessage);
      }
      ws.close(code, reason);
    }
  }

  /**
   * Closes once every queued message has gone to the socket (the gateway is stopping: the outcomes
   * already queued reach the client first), or after {@code maxWaitMs} if the client does not read.
   * Nothing new is queued from now on.
   */
  void closeWhenSent(short code, String reason, long maxWaitMs) {
    if (closed || closeWhenEmpty != null) {
      return;
    }
    closeWhenEmpty = () -> closeWith(null, code, reason);
    if (queue.isEmpty()) {
      closeWhenEmpty.run();
      return;
    }
    context.owner().setTimer(Math.max(1, maxWaitMs), t -> {
      if (!closed) {
        LOG.info("WebSocket client did not read its last messages, closed [remote: {}, queued: {}]",
            ws.remoteAddress(), queue.size());
        closeWith(null, code, reason);
      }
    });
  }

  /** Marks the queue closed (the socket closed). */
  void closed() {
    closed = true;
    queue.clear();
    queuedChars = 0;
    roomWaiters.clear();
  }

  private void drain() {
    while (!closed && !ws.isClosed() && !queue.isEmpty() && !ws.writeQueueFull()) {
      String text = queue.pollFirst();
      queuedChars -= text.length();
      ws.writeTextMessage(text);
    }
    if (closeWhenEmpty != null && !closed && queue.isEmpty()) {
      closeWhenEmpty.run();
      return;
    }
    if (!roomWaiters.isEmpty() && room() > 0) {
      List<Runnable> ready = List.copyOf(roomWaiters);
      roomWaiters.clear();
      ready.forEach(Runnable::run);
    }
  }
}
