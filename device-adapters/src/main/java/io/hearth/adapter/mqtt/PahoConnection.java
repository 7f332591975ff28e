package io.hearth.adapter.mqtt;

import io.hearth.adapter.payload.JsonPayloads;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The adapter's MQTT 5 link, on Eclipse Paho, driven from a Vert.x context: connects and keeps
 * reconnecting with backoff on Vert.x timers (a failed first connect included), keeps at most a
 * window of QoS 1 publishes in flight and queues the rest, and turns Paho tokens into futures.
 *
 * <p>What it adds to Paho 1.2.5 (measured and read in Paho's code; see docs/broker.md):
 * <ul>
 *   <li>A fresh {@link MqttAsyncClient} for every connect attempt. Paho keeps the broker's CONNACK
 *       Maximum Packet Size for the life of a client (a later CONNACK without one does not clear
 *       it) and, its getters being swapped, checks <em>inbound</em> packets against it: a larger
 *       message then costs the connection instead of being dropped, in a loop if it is retained.
 *       A used client is always closed on a worker thread, never on the event loop.</li>
 *   <li>Our own Maximum Packet Size in CONNECT ({@link #MAX_PACKET_BYTES}), so that the broker drops
 *       messages the adapter would drop anyway instead of sending them (MQTT 5 §3.1.2.24).</li>
 *   <li>A watchdog on every attempt: Paho bounds only the TCP connect, not the wait for CONNACK;
 *       an attempt not answered within {@code connectTimeout + }{@link #CONNECT_MARGIN} is
 *       abandoned, its client forcibly closed and the next attempt uses a new one.</li>
 *   <li>A {@link LivenessProbe}: a hung broker is declared down within 1.5 × keep-alive.</li>
 * </ul>
 *
 * <p>Threading: every method is called on {@code context}, every listener call and future
 * completion happens on it. Paho callbacks only copy what they got and hand it to the context;
 * they never call the client and never throw.
 */
final class PahoConnection {

  /** What the connection tells its owner, always on the context. */
  interface Listener {
    /**
     * Connected (first time or again). Subscribe again: the first connect starts clean, and a
     * resumed session may have been lost by the broker.
     */
    /**
     * Connected (first time or again).
     *
     * @param sessionPresent the broker kept the gateway's session from an earlier connection (so
     *     what it missed meanwhile is queued, and a retained message it now gets is the broker's
     *     memory, not news)
     */
    void connected(boolean sessionPresent);

    /** The connection was lost (or a connect failed); reconnecting is already scheduled. */
    void disconnected(String reason);

    /** An inbound message. */
    void messageArrived(String topic, byte[] payload, boolean retained);
  }

  /**
   * The Maximum Packet Size the gateway declares in CONNECT: the largest payload the adapter accepts
   * plus room for the topic and properties. Larger messages are dropped by the broker.
   */
  static final long MAX_PACKET_BYTES = JsonPayloads.MAX_PAYLOAD_BYTES + 8 * 1024;

  /** How much longer than {@code connectTimeout} a connect attempt may take before it is abandoned. */
  static final Duration CONNECT_MARGIN = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(PahoConnection.class);
  private static final Duration MAX_STOP_WAIT = Duration.ofSeconds(5);

  private enum State { NEW, CONNECTING, CONNECTED, WAITING, STOPPING, STOPPED }

  private final Context context;
  private final MqttAdapterOptions options;
  private final Listener listener;
  private final PublishWindow publishes;
  private final LivenessProbe probe;
  private final List<String> probeFilter;
  private final AtomicInteger pendingInbound = new AtomicInteger();
  private final AtomicLong droppedInbound = new AtomicLong();
  private final AtomicLong lastInbound = new AtomicLong(System.nanoTime());
  private final PahoClients clients;

  private MqttAsyncClient client;
  private State state = State.NEW;
  private int attempt;
  private long generation;
  private long retryTimer = -1;
  private long connectTimer = -1;
  private Promise<Void> stopped;
  private long lastDelay;
  private boolean everConnected;

  PahoConnection(Context context, MqttAdapterOptions options, Listener listener) {
    this.context = context;
    this.options = options;
    this.listener = listener;
    this.clients = new PahoClients(context, options);
    this.publishes = new PublishWindow(options.maxInflight() * 10, this::hop);
    this.probeFilter = List.of("hearth/probe/" + options.clientId().replaceAll("[+#/\\u0000]", "_"));
    this.probe = new LivenessProbe(context, options.keepAlive(), lastInbound, this::sendProbe,
        reason -> dropLink(generation, reason));
  }

  /** Creates the first client and starts connecting; fails only if the client cannot be created. */
  Future<Void> start() {
    if (state != State.NEW) {
      return Future.failedFuture("already started");
    }
    MqttAsyncClient first;
    try {
      first = newClient(generation + 1);
    } catch (MqttException | RuntimeException e) {
      state = State.STOPPED;
      return Future.failedFuture(new IllegalStateException("cannot create MQTT client: " + e.getMessage(), e));
    }
    LOG.info("MQTT connecting [broker: {}, clientId: {}]", options.serverUri(), options.clientId());
    connect(first);
    return Future.succeededFuture();
  }

  boolean isConnected() {
    return state == State.CONNECTED;
  }

  /** Messages dropped before decoding (too large, or too many waiting for the context). */
  long droppedInbound() {
    return droppedInbound.get();
  }

  private MqttAsyncClient newClient(long gen) throws MqttException {
    return clients.create(new PahoCallback(context, options.serverUri(), reason -> dropLink(gen, reason), listener,
        pendingInbound, droppedInbound, lastInbound));
  }

  private MqttConnectionOptions connectionOptions() {
    MqttConnectionOptions o = new MqttConnectionOptions();
    // the first connect of a run starts clean; later ones resume the session the broker kept for
    // the gap (docs/broker.md), and the owner subscribes again either way
    o.setCleanStart(!everConnected || options.sessionExpiry().isZero());
    o.setSessionExpiryInterval(options.sessionExpiry().toSeconds());
    o.setAutomaticReconnect(false); // ours retries a failed first connect too
    o.setConnectionTimeout(seconds(options.connectTimeout()));
    o.setKeepAliveInterval(seconds(options.keepAlive()));
    o.setReceiveMaximum(Math.min(65_535, Math.max(options.maxInflight(), 100)));
    o.setMaximumPacketSize(MAX_PACKET_BYTES);
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

  /** One attempt, with a client made for it ({@code prepared}) or a new one. */
  private void connect(MqttAsyncClient prepared) {
    state = State.CONNECTING;
    long gen = ++generation;
    MqttAsyncClient c = prepared;
    try {
      if (c == null) {
        c = newClient(gen);
      }
    } catch (MqttException | RuntimeException e) {
      onConnectFailed(gen, describe(e));
      return;
    }
    client = c;
    long watchdogMs = options.connectTimeout().plus(CONNECT_MARGIN).toMillis();
    connectTimer = context.owner().setTimer(watchdogMs, id -> {
      connectTimer = -1;
      if (gen == generation && state == State.CONNECTING) {
        onConnectFailed(gen, "no answer from the broker within " + watchdogMs + " ms (attempt abandoned)");
      }
    });
    try {
      c.connect(connectionOptions(), null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          Integer receiveMax = null;
          Long maxPacket = null;
          try {
            MqttProperties props = token.getResponseProperties();
            receiveMax = props == null ? null : props.getReceiveMaximum();
            maxPacket = props == null ? null : props.getMaximumPacketSize();
          } catch (RuntimeException ignored) {
            // keep the defaults
          }
          Integer serverReceiveMax = receiveMax;
          Long serverMaxPacket = maxPacket;
          boolean sessionPresent = token.getSessionPresent();
          hop(() -> onConnected(gen, serverReceiveMax, serverMaxPacket, sessionPresent));
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

  private void cancelConnectTimer() {
    if (connectTimer >= 0) {
      context.owner().cancelTimer(connectTimer);
      connectTimer = -1;
    }
  }

  private void onConnected(long gen, Integer serverReceiveMax, Long serverMaxPacket, boolean sessionPresent) {
    if (gen != generation) {
      return; // abandoned: its client is being closed
    }
    cancelConnectTimer();
    state = State.CONNECTED;
    everConnected = true;
    attempt = 0;
    int brokerMax = serverReceiveMax == null || serverReceiveMax <= 0 ? 65_535 : serverReceiveMax;
    int window = Math.min(options.maxInflight(), brokerMax);
    long maxOut = serverMaxPacket == null || serverMaxPacket <= 0 ? MAX_PACKET_BYTES
        : Math.min(MAX_PACKET_BYTES, serverMaxPacket);
    LOG.info("MQTT connected [broker: {}, inflightWindow: {}, brokerReceiveMaximum: {}, brokerMaximumPacketSize: {}]",
        options.serverUri(), window, brokerMax, serverMaxPacket);
    lastInbound.set(System.nanoTime());
    probe.start();
    listener.connected(sessionPresent);
    publishes.open(client, window, maxOut);
  }

  private void onConnectFailed(long gen, String reason) {
    if (gen != generation) {
      return;
    }
    cancelConnectTimer();
    generation++;
    discard(client);
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

  /** The link of generation {@code gen} is gone (Paho said so, or the probe found it dead). */
  private void dropLink(long gen, String reason) {
    if (gen != generation || state != State.CONNECTED) {
      return;
    }
    generation++;
    probe.stop();
    publishes.close("connection to the MQTT broker lost before PUBACK");
    discard(client);
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
        connect(null);
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

  /** Subscribes QoS 1; succeeds once every filter is granted (every SUBACK). */
  Future<Void> subscribe(List<String> filters) {
    return subscribe(filters, null);
  }

  /** The same, with this MQTT 5 subscription identifier ({@link PahoCalls#SHARED_ID}...), or null for none. */
  Future<Void> subscribe(List<String> filters, Integer subscriptionId) {
    if (state != State.CONNECTED) {
      return Future.failedFuture(new IllegalStateException("MQTT broker not connected"));
    }
    return PahoCalls.subscribe(client, filters, subscriptionId, this::hop);
  }

  /** Unsubscribes; succeeds on UNSUBACK, or at once when not connected. */
  Future<Void> unsubscribe(List<String> filters) {
    if (state != State.CONNECTED || filters.isEmpty()) {
      return Future.succeededFuture();
    }
    return PahoCalls.unsubscribe(client, filters, this::hop);
  }

  /** The liveness probe: an UNSUBSCRIBE of a filter never subscribed; any UNSUBACK is an answer. */
  private Future<Void> sendProbe() {
    if (state != State.CONNECTED) {
      return Future.succeededFuture();
    }
    return PahoCalls.unsubscribe(client, probeFilter, this::hop).recover(e -> Future.succeededFuture());
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
    cancelConnectTimer();
    probe.stop();
    publishes.close("MQTT adapter stopped");
    switch (was) {
      case CONNECTED -> disconnectAndClose();
      case CONNECTING -> {
        generation++; // whatever Paho still says about this attempt is ignored
        discard(client);
        finishStop();
      }
      default -> finishStop();
    }
    return stopped.future();
  }

  private void disconnectAndClose() {
    MqttAsyncClient c = client;
    generation++;
    try {
      c.disconnect(1_000, null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          hop(() -> discardThenFinish(c));
        }

        @Override
        public void onFailure(IMqttToken token, Throwable error) {
          hop(() -> discardThenFinish(c));
        }
      }, 0, new MqttProperties());
    } catch (MqttException | RuntimeException e) {
      discardThenFinish(c);
    }
  }

  private void discardThenFinish(MqttAsyncClient c) {
    if (client == c) {
      discard(c);
    }
    finishStop();
  }

  private void discard(MqttAsyncClient c) {
    if (c != null && client == c) {
      client = null;
    }
    clients.discard(c);
  }

  /** Done once every client being closed is closed (at most {@link #MAX_STOP_WAIT}). */
  private void finishStop() {
    if (state == State.STOPPED) {
      return;
    }
    state = State.STOPPED;
    clients.allClosed(MAX_STOP_WAIT).onComplete(ar -> {
      LOG.info("MQTT stopped [broker: {}, clientId: {}]", options.serverUri(), options.clientId());
      stopped.tryComplete();
    });
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
