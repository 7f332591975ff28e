package io.hearth.adapter.mqtt;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the Paho clients of one connection (one per connect attempt), each running its threads on
 * an executor of its own, and closes used ones on a worker thread: Paho's shutdown waits for its
 * own threads, which must never happen on the event loop. Closing a client ends its executor, so
 * that none of its threads outlive it. Used on the adapter's context only.
 *
 * <p>A client is not forced down while Paho's connect task (TCP connect, then starting its reader,
 * writer and callback tasks; bounded by the connect timeout) still runs: forced down in that
 * window, Paho would start those tasks after its shutdown and nothing would ever stop them.
 */
final class PahoClients {
  /** Threads of one client: connect, reader, writer, callback, keep-alive, disconnect. */
  static final int THREADS_PER_CLIENT = 6;

  private static final Logger LOG = LoggerFactory.getLogger(PahoClients.class);

  private final Context context;
  private final MqttAdapterOptions options;
  private final Map<MqttAsyncClient, ClientExecutor> executors = new IdentityHashMap<>();
  private final Set<Future<Void>> closing = new HashSet<>();

  PahoClients(Context context, MqttAdapterOptions options) {
    this.context = context;
    this.options = options;
  }

  /** A new client, not connected; it starts no thread before {@code connect}. */
  MqttAsyncClient create(MqttCallback callback) throws MqttException {
    ClientExecutor executor = new ClientExecutor(options.clientId());
    try {
      MqttAsyncClient c = new MqttAsyncClient(options.serverUri(), options.clientId(), new MemoryPersistence(), null,
          executor);
      c.setCallback(callback);
      executors.put(c, executor);
      return c;
    } catch (MqttException | RuntimeException e) {
      executor.shutdownNow();
      throw e;
    }
  }

  /**
   * Forcibly disconnects (no DISCONNECT packet: the link may be hung) and closes {@code c}, then
   * ends its threads. Not ordered: one slow close never delays another.
   */
  void discard(MqttAsyncClient c) {
    ClientExecutor executor = c == null ? null : executors.remove(c);
    if (executor == null) {
      return;
    }
    long connectWaitMs = options.connectTimeout().plusSeconds(1).toMillis();
    Future<Void> done = context.executeBlocking(() -> {
      executor.awaitConnectTask(connectWaitMs);
      try {
        c.disconnectForcibly(0, 500, false);
      } catch (MqttException | RuntimeException ignored) {
        // already down
      }
      try {
        c.close(true);
      } finally {
        executor.end();
      }
      return null;
    }, false);
    closing.add(done);
    done.onComplete(ar -> {
      closing.remove(done);
      if (ar.failed()) {
        LOG.debug("MQTT client did not close cleanly [broker: {}, reason: {}]", options.serverUri(),
            PahoConnection.describe(ar.cause()));
      }
    });
  }

  /** Completes once every client being closed is closed, or after {@code max}. */
  Future<Void> allClosed(Duration max) {
    Promise<Void> all = Promise.promise();
    long timer = context.owner().setTimer(max.toMillis(), id -> all.tryComplete());
    Future.join(new ArrayList<>(closing)).onComplete(ar -> {
      context.owner().cancelTimer(timer);
      all.tryComplete();
    });
    return all.future();
  }

  /** One client's threads. Knows when Paho's connect task ({@code ClientComms$ConnectBG}) is over. */
  private static final class ClientExecutor extends ScheduledThreadPoolExecutor {
    private final CompletableFuture<Void> connectTask = new CompletableFuture<>();
    private volatile boolean connectStarted;

    ClientExecutor(String clientId) {
      super(THREADS_PER_CLIENT, r -> {
        Thread t = new Thread(r, "MQTT pool: " + clientId);
        t.setDaemon(true);
        return t;
      });
      setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
      setRemoveOnCancelPolicy(true);
    }

    @Override
    public void execute(Runnable task) {
      if (task.getClass().getName().endsWith("$ConnectBG")) {
        connectStarted = true;
        super.execute(() -> {
          try {
            task.run();
          } finally {
            connectTask.complete(null);
          }
        });
      } else {
        super.execute(task);
      }
    }

    void awaitConnectTask(long maxMs) throws InterruptedException {
      if (!connectStarted) {
        return;
      }
      try {
        connectTask.get(maxMs, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
        // force it down anyway
      }
    }

    void end() throws InterruptedException {
      shutdown();
      if (!awaitTermination(3, TimeUnit.SECONDS)) {
        shutdownNow();
        if (!awaitTermination(1, TimeUnit.SECONDS)) {
          LOG.warn("MQTT client threads still running after close [threads: {}]", getActiveCount());
        }
      }
    }
  }
}
