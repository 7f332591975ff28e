package io.hearth.sim.mqtt;

import io.hearth.sim.ManagedSimDevice;
import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimFaults;
import io.hearth.sim.SimOptions;
import io.hearth.sim.behavior.Behavior;
import io.hearth.sim.behavior.Behaviors;
import io.hearth.sim.behavior.DeviceHost;
import io.hearth.sim.behavior.Outcome;
import io.hearth.sim.support.OnContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated device on MQTT: binds one {@link Behavior} to one {@link MqttConvention} and plays
 * faults, duplicate suppression, reply delays and periodic reports. Everything that touches the
 * behaviour or the connection runs on the device's own event-loop context (shared with many other
 * devices); the public methods hop onto it through {@link OnContext}.
 */
public final class MqttSimDevice implements ManagedSimDevice {

  private static final Logger LOG = LoggerFactory.getLogger(MqttSimDevice.class);
  private static final int REMEMBERED_CIDS = 1024;
  private static final long MAX_BACKOFF_MS = 10_000;

  private final SimDeviceSpec spec;
  private final SimOptions options;
  private final Vertx vertx;
  private final OnContext ctx;
  private final Behavior behavior;
  private final MqttConvention convention;
  private final Random random;
  private final long reportIntervalMs;
  private final AtomicInteger commands = new AtomicInteger();
  private final List<String> commandIds = Collections.synchronizedList(new ArrayList<>());
  /** cid → first outcome; a null value means still in progress (reply delay). */
  private final Map<String, Outcome> seen = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Outcome> eldest) {
      return size() > REMEMBERED_CIDS;
    }
  };

  private volatile SimFaults faults;
  private volatile Map<String, Object> snapshot;
  private volatile boolean online;
  private volatile String lastError;
  private MqttLink link;
  private boolean wantOnline;
  private boolean closed;
  private long periodicTimer = -1;
  private long reconnectTimer = -1;
  private long backoffMs;
  private long lastTick;
  private Promise<Void> upPromise;

  /**
   * @throws IllegalArgumentException for an unknown profile or convention
   */
  public MqttSimDevice(Vertx vertx, Context context, SimOptions options, SimDeviceSpec spec) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.ctx = new OnContext(Objects.requireNonNull(context, "context"));
    this.options = Objects.requireNonNull(options, "options");
    this.spec = Objects.requireNonNull(spec, "spec");
    this.behavior = Behaviors.create(spec.profile());
    this.convention = Conventions.of(spec);
    this.random = new Random(spec.id().hashCode());
    this.reportIntervalMs = spec.reportIntervalMs() > 0 ? spec.reportIntervalMs() : options.defaultReportIntervalMs();
    this.faults = spec.faults();
    this.behavior.attach(new Host());
    this.snapshot = Collections.unmodifiableMap(behavior.snapshot());
  }

  /**
   * Connects (retrying until {@link #close()}), subscribes, publishes the full state and
   * {@code online}; completes once the broker acknowledged the availability message.
   */
  @Override
  public Future<Void> start() {
    return ctx.call(() -> {
      lastTick = System.currentTimeMillis();
      long firstDelay = 1 + (long) (random.nextDouble() * reportIntervalMs);
      periodicTimer = vertx.setPeriodic(firstDelay, reportIntervalMs, t -> periodic());
      return bringUp();
    }).compose(f -> f);
  }

  private Future<Void> bringUp() {
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
    MqttLink l = new MqttLink(vertx, options, spec, convention, this::onMessage, this::onLost);
    link = l;
    l.connect()
        .compose(v -> {
          List<Publication> hello = new ArrayList<>(convention.periodicReport(snapshot));
          hello.add(new Publication(convention.availabilityTopic(), convention.onlinePayload(), true));
          return l.publishAll(hello);
        })
        .onSuccess(v -> {
          if (link != l) { // went offline or closed while connecting
            l.disconnect(true);
            return;
          }
          online = true;
          backoffMs = 0;
          LOG.debug("device online [device: {}, convention: {}]", spec.id(), spec.convention());
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
            LOG.debug("connect failed [device: {}]: {}", spec.id(), e.getMessage());
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

  private void onMessage(MqttPublishMessage msg) {
    Inbound in = convention.decode(msg.topicName(), msg.payload().getBytes(), snapshot);
    if (in.kind() == Inbound.Kind.IGNORE) {
      LOG.debug("message ignored [device: {}, topic: {}, reason: {}]", spec.id(), msg.topicName(), in.error());
      return;
    }
    commands.incrementAndGet();
    commandIds.add(in.cid());
    LOG.debug("command received [device: {}, cid: {}, kind: {}]", spec.id(), in.cid(), in.kind());
    if (convention.commandIds()) {
      if (seen.containsKey(in.cid())) {
        Outcome first = seen.get(in.cid());
        LOG.debug("duplicate command [device: {}, cid: {}, answered: {}]", spec.id(), in.cid(), first != null);
        if (first != null) {
          confirm(in, first);
        }
        return;
      }
      seen.put(in.cid(), null);
    }
    long delay = faults.replyDelayMs();
    if (delay > 0) {
      vertx.setTimer(delay, t -> execute(in));
    } else {
      execute(in);
    }
  }

  private void execute(Inbound in) {
    SimFaults f = faults;
    Outcome outcome;
    switch (in.kind()) {
      case INVALID:
        outcome = Outcome.fail(in.error());
        break;
      case QUERY:
        outcome = Outcome.success();
        break;
      case SET:
        outcome = f.reject() ? Outcome.fail("rejected by device") : behavior.set(in.values());
        break;
      case ACTION:
        outcome = f.reject() ? Outcome.fail("rejected by device") : behavior.act(in.name(), in.values());
        break;
      default:
        return;
    }
    if (convention.commandIds()) {
      seen.put(in.cid(), outcome);
    }
    refreshSnapshot();
    publish(convention.commandEffects(in, outcome, snapshot));
    confirm(in, outcome);
  }

  private void confirm(Inbound in, Outcome outcome) {
    double drop = faults.dropReplies();
    if (drop > 0 && random.nextDouble() < drop) {
      LOG.debug("confirmation dropped [device: {}, cid: {}]", spec.id(), in.cid());
      return;
    }
    publish(convention.confirmation(in, outcome, snapshot));
    LOG.debug("command answered [device: {}, cid: {}, ok: {}]", spec.id(), in.cid(), outcome.ok());
  }

  private void periodic() {
    long now = System.currentTimeMillis();
    behavior.tick(now - lastTick);
    lastTick = now;
    refreshSnapshot();
    publish(convention.periodicReport(snapshot));
  }

  private void refreshSnapshot() {
    snapshot = Collections.unmodifiableMap(behavior.snapshot());
  }

  private void publish(List<Publication> ps) {
    MqttLink l = link;
    if (l == null || !l.connected() || ps.isEmpty()) {
      return;
    }
    l.publishAll(ps).onFailure(e -> LOG.debug("publish failed [device: {}]: {}", spec.id(), e.getMessage()));
  }

  // ---- public API (any thread) ----

  @Override
  public String id() {
    return spec.id();
  }

  @Override
  public String profile() {
    return spec.profile();
  }

  /** The spec the device was made from. */
  public SimDeviceSpec spec() {
    return spec;
  }

  @Override
  public Map<String, Object> state() {
    return snapshot;
  }

  @Override
  public void setState(Map<String, Object> changes) {
    Objects.requireNonNull(changes, "changes");
    Map<String, Object> copy = new LinkedHashMap<>(changes);
    Outcome o = ctx.callAndWait(() -> {
      Outcome r = behavior.setLocal(copy);
      if (r.ok()) {
        refreshSnapshot();
        publish(convention.stateReport(snapshot));
      }
      return r;
    });
    if (o != null && !o.ok()) {
      throw new IllegalArgumentException(o.error());
    }
  }

  @Override
  public void emitEvent(String name, Map<String, Object> data) {
    Objects.requireNonNull(name, "name");
    Map<String, Object> copy = data == null ? Map.of() : new LinkedHashMap<>(data);
    ctx.callAndWait(() -> {
      publish(convention.event(name, copy));
      return null;
    });
  }

  @Override
  public SimFaults faults() {
    return faults;
  }

  @Override
  public void setFaults(SimFaults newFaults) {
    this.faults = Objects.requireNonNull(newFaults, "faults");
  }

  @Override
  public void goOffline(boolean withWill) {
    ctx.awaitFuture(ctx.call(() -> goOfflineOnContext(withWill)).compose(f -> f));
  }

  private Future<Void> goOfflineOnContext(boolean withWill) {
    wantOnline = false;
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
    LOG.info("device going offline [device: {}, will: {}]", spec.id(), withWill);
    if (withWill) {
      return l.disconnect(true);
    }
    return l.publish(new Publication(convention.availabilityTopic(), convention.offlinePayload(), true))
        .transform(ar -> l.disconnect(false));
  }

  @Override
  public void goOnline() {
    LOG.info("device going online [device: {}]", spec.id());
    ctx.awaitFuture(ctx.call(this::bringUp).compose(f -> f));
  }

  @Override
  public String lastError() {
    return lastError;
  }

  @Override
  public boolean online() {
    return online;
  }

  @Override
  public int commandsReceived() {
    return commands.get();
  }

  @Override
  public List<String> receivedCommandIds() {
    synchronized (commandIds) {
      return List.copyOf(commandIds);
    }
  }

  @Override
  public void publishRaw(String subtopic, byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    String topic = convention.rawTopic(subtopic);
    ctx.awaitFuture(ctx.call(() -> {
      MqttLink l = link;
      return l == null ? Future.<Void>failedFuture("offline") : l.publish(new Publication(topic, payload, false));
    }).compose(f -> f));
  }

  /** Stops timers and ends the connection (the broker publishes the will). */
  @Override
  public Future<Void> close() {
    return ctx.call(() -> {
      closed = true;
      wantOnline = false;
      vertx.cancelTimer(periodicTimer);
      vertx.cancelTimer(reconnectTimer);
      behavior.stop();
      if (upPromise != null) {
        upPromise.tryFail("closed");
        upPromise = null;
      }
      MqttLink l = link;
      link = null;
      online = false;
      return l == null ? Future.<Void>succeededFuture() : l.disconnect(true);
    }).compose(f -> f).recover(e -> Future.succeededFuture());
  }

  /** Gives the behaviour access to timers and publishing on this device's context. */
  private final class Host implements DeviceHost {
    @Override
    public void stateChanged() {
      refreshSnapshot();
      publish(convention.stateReport(snapshot));
    }

    @Override
    public void emitEvent(String name, Map<String, Object> data) {
      publish(convention.event(name, data));
    }

    @Override
    public long schedule(long delayMs, Runnable task) {
      return vertx.setTimer(Math.max(1, delayMs), t -> task.run());
    }

    @Override
    public void cancel(long timerId) {
      if (timerId >= 0) {
        vertx.cancelTimer(timerId);
      }
    }

    @Override
    public Random random() {
      return random;
    }

    @Override
    public boolean jammed() {
      return faults.jammed();
    }
  }
}
