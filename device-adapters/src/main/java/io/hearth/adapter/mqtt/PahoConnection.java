package io.hearth.adapter.mqtt;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Paho MQTT 5 async client, driven from a Vert.x context: connects and keeps reconnecting
 * with backoff on Vert.x timers (a failed first connect included), keeps at most a window of QoS 1
 * publishes in flight and queues the rest, and turns Paho tokens into futures.
 *
 * <p>Threading: every method is called on {@code context}, every listener call and future
 * completion happens on it. Paho callbacks only copy what they got and hand it to the context;
 * they never call the client and never throw.
 */
final class PahoConnection {

  /** What the connection tells its owner, always on the context. */
  interface Listener {
    /** Connected (first time or again). Nothing is subscribed yet: clean start. */
    void connected();

    /** The connection was lost (or a connect failed); reconnecting is already scheduled. */
    void disconnected(String reason);

    /** An inbound message. */
    void messageArrived(String topic, byte[] payload, boolean retained);
  }

  private static final Logger LOG = LoggerFactory.getLogger(PahoConnection.class);
  private static final int MAX_FILTERS_PER_SUBSCRIBE = 200;

  private enum State { NEW, CONNECTING, CONNECTED, WAITING, STOPPING, STOPPED }

  private final Context context;
  private final MqttAdapterOptions options;
  private final Listener listener;
  private final PahoCallback callback;
  private final PublishWindow publishes;

  private MqttAsyncClient client;
  private State state = State.NEW;
  private int attempt;
  private long generation;
  private long retryTimer = -1;
  private Promise<Void> stopped;
  private long lastDelay;

  PahoConnection(Context context, MqttAdapterOptions options, Listener listener) {
    this.context = context;
    this.options = options;
    this.listener = listener;
    this.publishes = new PublishWindow(options.maxInflight() * 10, this::hop);
    this.callback = new PahoCallback(context, options.serverUri(), this::onConnectionLost, listener);
  }

  /** Creates the client and starts connecting; fails only if the client cannot be created. */
  Future<Void> start() {
    if (state != State.NEW) {
      return Future.failedFuture("already started");
    }
    try {
      client = new MqttAsyncClient(options.serverUri(), options.clientId(), new MemoryPersistence(), null, null);
      client.setCallback(callback);
    } catch (MqttException | RuntimeException e) {
      state = State.STOPPED;
      return Future.failedFuture(new IllegalStateException("cannot create MQTT client: " + e.getMessage(), e));
    }
    LOG.info("MQTT connecting [broker: {}, clientId: {}]", options.serverUri(), options.clientId());
    connect();
    return Future.succeededFuture();
  }

  boolean isConnected() {
    return state == State.CONNECTED;
  }

  /** Messages dropped before decoding (too large, or too many waiting for the context). */
  long droppedInbound() {
    return callback.droppedInbound();
  }

  private MqttConnectionOptions connectionOptions() {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    o.setSessionExpiryInterval(0L);
    o.setAutomaticReconnect(false); // ours retries a failed first connect too
    o.setConnectionTimeout(seconds(options.connectTimeout()));
    o.setKeepAliveInterval(seconds(options.keepAlive()));
    o.setReceiveMaximum(Math.min(65_535, Math.max(options.maxInflight(), 100)));
    o.setSocketFactory(new NoDelaySocketFactory());
    if (options.username() != null) {
      o.setUserName(options.username());
    }
    if (options.password() != null) {
      o.setPassword(options.password().getBytes(StandardCharsets.UTF_8));
    }
    return o;
  }

  private static int seconds(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toSeconds()));
  }

  private void connect() {
    state = State.CONNECTING;
    long gen = ++generation;
    try {
      client.connect(connectionOptions(), null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          Integer receiveMax = null;
          try {
            MqttProperties props = token.getResponseProperties();
            receiveMax = props == null ? null : props.getReceiveMaximum();
          } catch (RuntimeException ignored) {
            // keep the default
          }
          Integer serverReceiveMax = receiveMax;
          hop(() -> onConnected(gen, serverReceiveMax));
        }

        @Override
        public void onFailure(IMqttToken token, Throwable error) {
          String reason = describe(error);
          hop(() -> onConnectFailed(gen, reason));
        }
      });
    } catch (MqttException | RuntimeException e) {
      onConnectFailed(gen, describe(e));
    }
  }

  private void onConnected(long gen, Integer serverReceiveMax) {
    if (gen != generation) {
      return;
    }
    if (state == State.STOPPING) {
      disconnectAndClose();
      return;
    }
    state = State.CONNECTED;
    attempt = 0;
    int brokerMax = serverReceiveMax == null || serverReceiveMax <= 0 ? 65_535 : serverReceiveMax;
    int window = Math.min(options.maxInflight(), brokerMax);
    LOG.info("MQTT connected [broker: {}, inflightWindow: {}, brokerReceiveMaximum: {}]",
        options.serverUri(), window, brokerMax);
    listener.connected();
    publishes.open(client, window);
  }

  private void onConnectFailed(long gen, String reason) {
    if (gen != generation) {
      return;
    }
    if (state == State.STOPPING) {
      closeClient();
      return;
    }
    scheduleReconnect();
    if (attempt == 1 || attempt % 20 == 0) {
      LOG.warn("MQTT connect failed, retrying [broker: {}, reason: {}, attempt: {}, retryInMs: {}]",
          options.serverUri(), reason, attempt, lastDelay);
    } else {
      LOG.debug("MQTT connect failed, retrying [broker: {}, reason: {}, attempt: {}, retryInMs: {}]",
          options.serverUri(), reason, attempt, lastDelay);
    }
    listener.disconnected(reason);
  }

  private void onConnectionLost(String reason) {
    if (state != State.CONNECTED) {
      return;
    }
    generation++;
    publishes.close("connection to the MQTT broker lost before PUBACK");
    scheduleReconnect();
    LOG.warn("MQTT connection lost, reconnecting [broker: {}, reason: {}, retryInMs: {}]",
        options.serverUri(), reason, lastDelay);
    listener.disconnected(reason);
  }

  private void scheduleReconnect() {
    state = State.WAITING;
    long min = options.reconnectMinDelay().toMillis();
    long max = options.reconnectMaxDelay().toMillis();
    long base = min << Math.min(attempt, 20);
    if (base <= 0 || base > max) {
      base = max;
    }
    attempt++;
    // ±20 % jitter so that many gateways do not hammer a restarted broker in step
    long delay = Math.max(1, (long) (base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
    lastDelay = delay;
    retryTimer = context.owner().setTimer(delay, id -> {
      retryTimer = -1;
      if (state == State.WAITING) {
        connect();
      }
    });
  }

  /**
   * Publishes QoS 1, not retained. Succeeds on PUBACK. Waits in a local queue while the in-flight
   * window is full.
   *
   * @param expiresAt the message must not reach a device after this: sent as MQTT 5 message expiry
   */
  Future<Void> publish(String topic, byte[] payload, Instant expiresAt) {
    if (state != State.CONNECTED) {
      return Future.failedFuture(new IllegalStateException("MQTT broker not connected"));
    }
    return publishes.publish(topic, payload, expiresAt);
  }

  /** Subscribes QoS 1; succeeds once every filter is granted (SUBACK). */
  Future<Void> subscribe(List<String> filters) {
    if (state != State.CONNECTED) {
      return Future.failedFuture(new IllegalStateException("MQTT broker not connected"));
    }
    List<Future<Void>> parts = new ArrayList<>();
    for (int i = 0; i < filters.size(); i += MAX_FILTERS_PER_SUBSCRIBE) {
      parts.add(subscribeChunk(filters.subList(i, Math.min(filters.size(), i + MAX_FILTERS_PER_SUBSCRIBE))));
    }
    return Future.all(parts).mapEmpty();
  }

  private Future<Void> subscribeChunk(List<String> filters) {
    Promise<Void> promise = Promise.promise();
    MqttSubscription[] subs = filters.stream().map(f -> new MqttSubscription(f, 1)).toArray(MqttSubscription[]::new);
    try {
      client.subscribe(subs, null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          int[] codes = token.getReasonCodes();
          String refused = null;
          for (int i = 0; codes != null && i < codes.length; i++) {
            if (codes[i] >= 0x80) {
              refused = (i < filters.size() ? filters.get(i) : "?") + " (reason code 0x" + Integer.toHexString(codes[i]) + ")";
              break;
            }
          }
          String r = refused;
          hop(() -> {
            if (r == null) {
              promise.tryComplete();
            } else {
              promise.tryFail(new IllegalStateException("broker refused subscription " + r));
            }
          });
        }

        @Override
        public void onFailure(IMqttToken token, Throwable error) {
          String reason = describe(error);
          hop(() -> promise.tryFail(new IllegalStateException("MQTT subscribe failed: " + reason)));
        }
      }, new MqttProperties());
    } catch (MqttException | RuntimeException e) {
      promise.tryFail(new IllegalStateException("MQTT subscribe failed: " + describe(e)));
    }
    return promise.future();
  }

  /** Unsubscribes; succeeds on UNSUBACK, or at once when not connected. */
  Future<Void> unsubscribe(List<String> filters) {
    if (state != State.CONNECTED || filters.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    try {
      client.unsubscribe(filters.toArray(String[]::new), null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          hop(promise::tryComplete);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable error) {
          String reason = describe(error);
          hop(() -> promise.tryFail(new IllegalStateException("MQTT unsubscribe failed: " + reason)));
        }
      }, new MqttProperties());
    } catch (MqttException | RuntimeException e) {
      promise.tryFail(new IllegalStateException("MQTT unsubscribe failed: " + describe(e)));
    }
    return promise.future();
  }

  /** Disconnects cleanly and closes the client; pending publishes fail. Idempotent. */
  Future<Void> stop() {
    if (stopped != null) {
      return stopped.future();
    }
    stopped = Promise.promise();
    State was = state;
    state = State.STOPPING;
    if (retryTimer >= 0) {
      context.owner().cancelTimer(retryTimer);
      retryTimer = -1;
    }
    publishes.close("MQTT adapter stopped");
    switch (was) {
      case CONNECTED -> disconnectAndClose();
      case CONNECTING -> { } // the attempt's outcome closes the client (bounded by connectTimeout)
      case NEW -> finishStop();
      default -> closeClient();
    }
    return stopped.future();
  }

  private void disconnectAndClose() {
    try {
      client.disconnect(1_000, null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          hop(PahoConnection.this::closeClient);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable error) {
          hop(PahoConnection.this::closeClient);
        }
      }, 0, new MqttProperties());
    } catch (MqttException | RuntimeException e) {
      closeClient();
    }
  }

  private void closeClient() {
    MqttAsyncClient c = client;
    context.executeBlocking(() -> {
      try {
        c.close(true);
      } catch (MqttException e) {
        // still connected or disconnecting: force it down, then close
        c.disconnectForcibly(0, 1_000, false);
        c.close(true);
      }
      return null;
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("MQTT client did not close cleanly [broker: {}, reason: {}]", options.serverUri(),
            describe(ar.cause()));
      }
      finishStop();
    });
  }

  private void finishStop() {
    state = State.STOPPED;
    LOG.info("MQTT stopped [broker: {}, clientId: {}]", options.serverUri(), options.clientId());
    stopped.tryComplete();
  }

  private void hop(Runnable task) {
    context.runOnContext(v -> task.run());
  }

  static String describe(Throwable t) {
    if (t == null) {
      return "unknown";
    }
    String m = t.getMessage();
    if (t instanceof MqttException e) {
      m = (m == null ? "" : m) + " (" + e.getReasonCode() + ")";
      if (e.getCause() != null) {
        m += ": " + e.getCause();
      }
    }
    return m == null ? t.getClass().getSimpleName() : m;
  }
}
