package io.hearth.sim.mqtt;

import io.hearth.sim.SimOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one simulated client connected: connects, lets its {@link Session} announce itself in the
 * firmware's order, reconnects with jittered backoff (250 ms .. 10 s) when the connection is lost,
 * and goes offline with or without its will on request. Confined to its owner's context (every
 * method must run there). Shared by hearth devices, Tasmota devices and Zigbee2MQTT bridges.
 * Internal to the simulator.
 */
public final class ReconnectingLink {

  private static final Logger LOG = LoggerFactory.getLogger(ReconnectingLink.class);
  private static final long MAX_BACKOFF_MS = 10_000;

  /** What the client does on each connection. */
  public interface Session {
    /**
     * Runs after CONNACK: subscribes and publishes what the firmware publishes, in its order.
     *
     * @param boot true for the first connection after start or {@link #bringUp()} from offline
     *             (a reboot), false after a lost connection (the firmware kept running)
     * @return completes once the client has announced itself (broker acknowledged)
     */
    Future<Void> onConnected(MqttLink link, boolean boot);

    /** What the client publishes before a clean DISCONNECT (its "offline" message). */
    List<Publication> goodbye();
  }

  private final Vertx vertx;
  private final SimOptions options;
  private final String owner;
  private final LinkOptions linkOptions;
  private final Random random;
  private final Handler<MqttPublishMessage> onMessage;
  private final Session session;

  private volatile boolean online;
  private volatile String lastError;
  private MqttLink link;
  private boolean wantOnline;
  private boolean closed;
  private boolean boot = true;
  private long reconnectTimer = -1;
  private long backoffMs;
  private Promise<Void> upPromise;

  public ReconnectingLink(Vertx vertx, SimOptions options, String owner, LinkOptions linkOptions, Random random,
      Handler<MqttPublishMessage> onMessage, Session session) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.owner = Objects.requireNonNull(owner, "owner");
    this.linkOptions = Objects.requireNonNull(linkOptions, "linkOptions");
    this.random = Objects.requireNonNull(random, "random");
    this.onMessage = Objects.requireNonNull(onMessage, "onMessage");
    this.session = Objects.requireNonNull(session, "session");
  }

  /** Connects (retrying until {@link #close()}); completes once the session announced itself. */
  public Future<Void> bringUp() {
    wantOnline = true;
    if (online && link != null) {
      return Future.succeededFuture();
    }
    if (upPromise == null) {
      upPromise = Promise.promise();
      connect();
    }
    return upPromise.future();
  }

  private void connect() {
    if (closed || !wantOnline || link != null) {
      return;
    }
    MqttLink l = new MqttLink(vertx, options, owner, linkOptions, onMessage, this::onLost);
    link = l;
    boolean booting = boot;
    l.connect()
        .compose(v -> session.onConnected(l, booting))
        .onSuccess(v -> {
          if (link != l) { // went offline or closed while connecting
            l.disconnect(true);
            return;
          }
          online = true;
          boot = false;
          backoffMs = 0;
          LOG.debug("client online [owner: {}, client: {}]", owner, linkOptions.clientId());
          Promise<Void> p = upPromise;
          upPromise = null;
          if (p != null) {
            p.tryComplete();
          }
        })
        .onFailure(e -> {
          if (link == l) {
            link = null;
            l.disconnect(false);
            lastError = e.getMessage();
            LOG.debug("connect failed [owner: {}]: {}", owner, e.getMessage());
            scheduleReconnect();
          }
        });
  }

  private void onLost() {
    online = false;
    link = null;
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (closed || !wantOnline || reconnectTimer >= 0) {
      return;
    }
    backoffMs = backoffMs == 0 ? 250 : Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    long delay = backoffMs / 2 + (long) (random.nextDouble() * backoffMs / 2);
    if (upPromise == null) {
      upPromise = Promise.promise();
    }
    reconnectTimer = vertx.setTimer(delay, t -> {
      reconnectTimer = -1;
      connect();
    });
  }

  /** Publishes when connected; failures are logged at debug (a device does not retry). */
  public void publish(List<Publication> ps) {
    MqttLink l = link;
    if (l == null || !l.connected() || ps.isEmpty()) {
      return;
    }
    l.publishAll(ps).onFailure(e -> LOG.debug("publish failed [owner: {}]: {}", owner, e.getMessage()));
  }

  /** Publishes one message; fails when offline. */
  public Future<Void> publishOne(Publication p) {
    MqttLink l = link;
    return l == null ? Future.failedFuture("offline") : l.publish(p);
  }

  /**
   * Stays offline until {@link #bringUp()}: with will, the connection dies (the broker publishes the
   * will); without, the session's goodbye is published, then a clean DISCONNECT.
   */
  public Future<Void> goOffline(boolean withWill) {
    wantOnline = false;
    boot = true; // coming back is a reboot
    vertx.cancelTimer(reconnectTimer);
    reconnectTimer = -1;
    MqttLink l = link;
    link = null;
    online = false;
    if (upPromise != null) {
      upPromise.tryFail("went offline");
      upPromise = null;
    }
    if (l == null) {
      return Future.succeededFuture();
    }
    LOG.info("client going offline [owner: {}, will: {}]", owner, withWill);
    if (withWill) {
      return l.disconnect(true);
    }
    return l.publishAll(session.goodbye()).transform(ar -> l.disconnect(false));
  }

  /** Stops reconnecting and ends the connection so the broker publishes the will. */
  public Future<Void> close() {
    closed = true;
    wantOnline = false;
    vertx.cancelTimer(reconnectTimer);
    if (upPromise != null) {
      upPromise.tryFail("closed");
      upPromise = null;
    }
    MqttLink l = link;
    link = null;
    online = false;
    return l == null ? Future.succeededFuture() : l.disconnect(true);
  }

  public boolean online() {
    return online;
  }

  public String lastError() {
    return lastError;
  }

  public String clientId() {
    return linkOptions.clientId();
  }
}
