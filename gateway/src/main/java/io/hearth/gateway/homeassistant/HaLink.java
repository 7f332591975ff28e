package io.hearth.gateway.homeassistant;

import io.hearth.adapter.mqtt.MqttAdapterOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own MQTT connection for Home Assistant, apart from the devices' connection so that
 * Home Assistant's topics never mix with the devices' subscriptions, and so that it can carry a
 * will: {@code offline}, retained, on the gateway's status topic. Paho reconnects by itself; a
 * failed first connect is retried here. Every Paho callback only copies and hands over to the
 * Vert.x context; publishing, subscribing and closing never happen on a Paho thread, and closing
 * (which waits for Paho's threads) runs on a worker.
 *
 * <p>Publishes are QoS 1 and queued by topic: a newer payload for a topic replaces one not yet
 * sent (retained state: only the latest counts), and at most {@link #MAX_IN_FLIGHT} wait for their
 * PUBACK. While disconnected the queue keeps the latest per topic; the owner republishes
 * everything on every connect anyway.
 */
final class HaLink {
  static final int MAX_IN_FLIGHT = 64;
  /** Below this many queued messages the owner is told it may queue more. */
  static final int LOW_WATER = 128;
  /** Threads of the Paho client: connect, sender, receiver, callback, keep-alive, disconnect. */
  static final int PAHO_THREADS = 6;
  private static final Logger LOG = LoggerFactory.getLogger(HaLink.class);

  /** Told on the context. */
  interface Listener {
    /** Connected (first time or again): subscribe and republish. */
    void connected();

    void message(String topic, String payload);

    /** The queue ran low ({@link #LOW_WATER}): a good moment to queue more. */
    void drained();
  }

  private record Out(byte[] payload, boolean retained) {}

  private final Context context;
  private final MqttAdapterOptions options;
  private final String statusTopic;
  private final Listener listener;
  private final Map<String, Out> queue = new LinkedHashMap<>();
  private final ScheduledExecutorService pahoThreads;
  private MqttAsyncClient client;
  private boolean connected;
  private boolean stopping;
  private int inFlight;
  private long retryTimer = -1;
  private long retryDelayMs;
  private List<String> listenerFilters = List.of();

  /**
   * @param statusTopic the gateway's status: {@code online} on connect, {@code offline} as the will
   *                    and on stop, both retained
   */
  HaLink(Context context, MqttAdapterOptions options, String statusTopic, Listener listener) {
    this.context = context;
    this.options = options;
    this.statusTopic = statusTopic;
    this.listener = listener;
    // Paho runs its sender, receiver and callback as long tasks on it, plus connect, ping and
    // disconnect: fewer threads starve the callback and a connect never completes
    this.pahoThreads = Executors.newScheduledThreadPool(PAHO_THREADS, r -> {
      Thread t = new Thread(r, "MQTT pool: " + options.clientId());
      t.setDaemon(true);
      return t;
    });
  }

  /** Creates the client and starts connecting; fails only if the client cannot be made. */
  Future<Void> start() {
    try {
      client = new MqttAsyncClient(options.serverUri(), options.clientId(), new MemoryPersistence(), null,
          pahoThreads);
    } catch (MqttException e) {
      pahoThreads.shutdownNow();
      return Future.failedFuture(new IllegalStateException("cannot create the Home Assistant MQTT client: " + e));
    }
    client.setCallback(new HaLinkCallback(context, new HaLinkCallback.Events() {
      @Override
      public void lost(String reason) {
        if (connected && !stopping) {
          LOG.warn("Home Assistant link lost, Paho reconnects [broker: {}, reason: {}]", options.serverUri(), reason);
        }
        connected = false;
      }

      @Override
      public void arrived(String topic, String payload) {
        if (!stopping) {
          listener.message(topic, payload);
        }
      }

      @Override
      public void connected(boolean reconnect) {
        onConnected(reconnect);
      }
    }));
    LOG.info("Home Assistant link connecting [broker: {}, clientId: {}]", options.serverUri(), options.clientId());
    connect();
    return Future.succeededFuture();
  }

  boolean isConnected() {
    return connected;
  }

  private MqttConnectionOptions connectionOptions() {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true); // everything is republished on every connect
    o.setSessionExpiryInterval(0L);
    o.setAutomaticReconnect(true);
    o.setAutomaticReconnectDelay(1, (int) Math.max(1, options.reconnectMaxDelay().toSeconds()));
    o.setConnectionTimeout((int) Math.max(1, options.connectTimeout().toSeconds()));
    o.setKeepAliveInterval((int) Math.max(1, options.keepAlive().toSeconds()));
    o.setReceiveMaximum(100);
    MqttMessage will = new MqttMessage("offline".getBytes(StandardCharsets.UTF_8));
    will.setQos(1);
    will.setRetained(true);
    o.setWill(statusTopic, will);
    if (options.username() != null) {
      o.setUserName(options.username());
    }
    if (options.password() != null) {
      o.setPassword(options.password().getBytes(StandardCharsets.UTF_8));
    }
    return o;
  }

  /** The first connect; Paho's automatic reconnect takes over once it succeeded. */
  private void connect() {
    retryTimer = -1;
    try {
      client.connect(connectionOptions(), null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          // connectComplete follows
        }

        @Override
        public void onFailure(IMqttToken token, Throwable error) {
          String reason = String.valueOf(error);
          context.runOnContext(v -> retry(reason));
        }
      });
    } catch (MqttException | RuntimeException e) {
      retry(e.toString());
    }
  }

  private void retry(String reason) {
    if (stopping) {
      return;
    }
    retryDelayMs = Math.min(options.reconnectMaxDelay().toMillis(),
        retryDelayMs == 0 ? options.reconnectMinDelay().toMillis() : retryDelayMs * 2);
    LOG.warn("Home Assistant link: connect failed, retrying in {} ms [broker: {}, reason: {}]", retryDelayMs,
        options.serverUri(), reason);
    retryTimer = context.owner().setTimer(retryDelayMs, t -> connect());
  }

  private void onConnected(boolean reconnect) {
    if (stopping) {
      return;
    }
    connected = true;
    retryDelayMs = 0;
    inFlight = 0; // a lost connection fails what was in flight
    LOG.info("Home Assistant link {} [broker: {}]", reconnect ? "reconnected" : "connected", options.serverUri());
    List<String> filters = listenerFilters;
    if (!filters.isEmpty()) {
      subscribe(filters);
    }
    publish(statusTopic, "online".getBytes(StandardCharsets.UTF_8), true);
    listener.connected();
  }

  /** The filters to subscribe on every connect. */
  void subscribeOnConnect(List<String> filters) {
    this.listenerFilters = List.copyOf(filters);
  }

  private void subscribe(List<String> filters) {
    MqttSubscription[] subs = filters.stream().map(f -> new MqttSubscription(f, 1)).toArray(MqttSubscription[]::new);
    try {
      client.subscribe(subs, null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          int[] codes = token.getReasonCodes();
          for (int i = 0; codes != null && i < codes.length; i++) {
            if (codes[i] >= 0x80) {
              int code = codes[i];
              String f = i < filters.size() ? filters.get(i) : "?";
              context.runOnContext(v -> LOG.warn("Home Assistant link: subscription refused [filter: {}, code: 0x{}]",
                  f, Integer.toHexString(code)));
            }
          }
        }

        @Override
        public void onFailure(IMqttToken token, Throwable error) {
          String reason = String.valueOf(error);
          context.runOnContext(v -> LOG.warn("Home Assistant link: subscribe failed [reason: {}]", reason));
        }
      }, new MqttProperties());
    } catch (MqttException | RuntimeException e) {
      LOG.warn("Home Assistant link: subscribe failed [reason: {}]", e.toString());
    }
  }

  /** Queues a QoS 1 publish; a newer one for the same topic replaces it while it waits. */
  void publish(String topic, byte[] payload, boolean retained) {
    if (stopping) {
      return;
    }
    queue.remove(topic); // the newest goes to the end: a config before its state stays in order
    queue.put(topic, new Out(payload, retained));
    drain();
  }

  /** Messages waiting to be sent (for tests and logs). */
  int queued() {
    return queue.size();
  }

  private void drain() {
    Iterator<Map.Entry<String, Out>> it = queue.entrySet().iterator();
    while (connected && inFlight < MAX_IN_FLIGHT && it.hasNext()) {
      Map.Entry<String, Out> e = it.next();
      it.remove();
      if (!send(e.getKey(), e.getValue())) {
        // the broker's receive maximum is below ours: wait for an acknowledgement
        queue.putIfAbsent(e.getKey(), e.getValue());
        return;
      }
    }
  }

  /** False when Paho has too many publishes in flight already (the message was not taken). */
  private boolean send(String topic, Out out) {
    inFlight++;
    try {
      client.publish(topic, out.payload(), 1, out.retained(), null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          context.runOnContext(v -> sent());
        }

        @Override
        public void onFailure(IMqttToken token, Throwable error) {
          String reason = String.valueOf(error);
          context.runOnContext(v -> {
            LOG.debug("Home Assistant link: publish failed [topic: {}, reason: {}]", topic, reason);
            sent();
          });
        }
      });
    } catch (MqttException e) {
      inFlight--;
      if (e.getReasonCode() == org.eclipse.paho.mqttv5.client.MqttClientException.REASON_CODE_MAX_INFLIGHT
          && inFlight > 0) {
        return false;
      }
      LOG.debug("Home Assistant link: publish failed [topic: {}, reason: {}]", topic, e.toString());
    } catch (RuntimeException e) {
      inFlight--;
      LOG.debug("Home Assistant link: publish failed [topic: {}, reason: {}]", topic, e.toString());
    }
    return true;
  }

  private void sent() {
    inFlight = Math.max(0, inFlight - 1);
    drain();
    if (!stopping && connected && queue.size() < LOW_WATER) {
      listener.drained();
    }
  }

  /**
   * Publishes {@code offline} (retained) on the status topic, disconnects and closes the client on
   * a worker. Bounded: at most about 3 s.
   */
  Future<Void> stop() {
    if (stopping) {
      return Future.succeededFuture();
    }
    stopping = true;
    if (retryTimer >= 0) {
      context.owner().cancelTimer(retryTimer);
    }
    queue.clear();
    MqttAsyncClient c = client;
    if (c == null) {
      pahoThreads.shutdownNow();
      return Future.succeededFuture();
    }
    Promise<Void> offlineSent = Promise.promise();
    if (connected) {
      try {
        c.publish(statusTopic, "offline".getBytes(StandardCharsets.UTF_8), 1, true, null, new MqttActionListener() {
          @Override
          public void onSuccess(IMqttToken token) {
            context.runOnContext(v -> offlineSent.tryComplete());
          }

          @Override
          public void onFailure(IMqttToken token, Throwable error) {
            context.runOnContext(v -> offlineSent.tryComplete());
          }
        });
      } catch (MqttException | RuntimeException e) {
        offlineSent.tryComplete();
      }
      long t = context.owner().setTimer(2000, id -> offlineSent.tryComplete());
      offlineSent.future().onComplete(r -> context.owner().cancelTimer(t));
    } else {
      offlineSent.tryComplete();
    }
    connected = false;
    return offlineSent.future().compose(v -> context.executeBlocking(() -> {
      try {
        if (c.isConnected()) {
          c.disconnect(1000).waitForCompletion(1500);
        }
      } catch (MqttException | RuntimeException e) {
        LOG.debug("Home Assistant link: disconnect failed [reason: {}]", e.toString());
      }
      try {
        c.close(true);
      } catch (MqttException | RuntimeException e) {
        LOG.debug("Home Assistant link: close failed [reason: {}]", e.toString());
      }
      pahoThreads.shutdown();
      if (!pahoThreads.awaitTermination(2, TimeUnit.SECONDS)) {
        pahoThreads.shutdownNow();
      }
      return null;
    }, false)).onComplete(r -> LOG.info("Home Assistant link closed")).mapEmpty();
  }
}
