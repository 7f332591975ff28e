package io.hearth.adapter.mqtt;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the Paho clients of one connection (one per connect attempt) and closes used ones on a
 * worker thread: Paho's shutdown waits for its own threads, which must never happen on the event
 * loop. Used on the adapter's context only.
 */
final class PahoClients {
  private static final Logger LOG = LoggerFactory.getLogger(PahoClients.class);

  private final Context context;
  private final MqttAdapterOptions options;
  private final Set<Future<Void>> closing = new HashSet<>();

  PahoClients(Context context, MqttAdapterOptions options) {
    this.context = context;
    this.options = options;
  }

  /** A new client, not connected; it starts no thread before {@code connect}. */
  MqttAsyncClient create(MqttCallback callback) throws MqttException {
    MqttAsyncClient c = new MqttAsyncClient(options.serverUri(), options.clientId(), new MemoryPersistence(), null, null);
    c.setCallback(callback);
    return c;
  }

  /**
   * Forcibly disconnects (no DISCONNECT packet: the link may be hung) and closes {@code c}, so that
   * none of its threads outlive it. Not ordered: one slow close never delays another.
   */
  void discard(MqttAsyncClient c) {
    if (c == null) {
      return;
    }
    Future<Void> done = context.executeBlocking(() -> {
      try {
        c.disconnectForcibly(0, 500, false);
      } catch (MqttException | RuntimeException ignored) {
        // already down
      }
      c.close(true);
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
}
