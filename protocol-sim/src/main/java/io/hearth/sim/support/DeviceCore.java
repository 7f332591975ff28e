package io.hearth.sim.support;

import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimFaults;
import io.hearth.sim.SimOptions;
import io.hearth.sim.behavior.Behavior;
import io.hearth.sim.behavior.Behaviors;
import io.hearth.sim.behavior.DeviceHost;
import io.hearth.sim.behavior.Outcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The transport-neutral part of a simulated device, shared by the MQTT and CoAP devices: the
 * behaviour and its host, the state snapshot, faults (reject, reply delay, dropped replies), the
 * counters of received commands, periodic reports, and the calling convention of the
 * {@code SimDevice} methods (blocking off the simulator's threads, scheduled on them). The transport
 * says how a state change, a periodic report and an event leave the device through {@link Reports}.
 * Methods marked "on the context" must run on the device's context; the others are thread-safe.
 * Not part of the library's API.
 */
public final class DeviceCore {

  /** The outcome of a command refused by the reject fault. */
  public static final Outcome REJECTED = Outcome.fail("rejected by device");

  /** How the device's reports leave it; called on the device's context. */
  public interface Reports {
    /** The state changed (command, local change, the behaviour itself); {@code snapshot} is fresh. */
    void stateChanged(Map<String, Object> snapshot);

    /** A periodic report is due; {@code snapshot} is fresh. Defaults to {@link #stateChanged}. */
    default void periodicReport(Map<String, Object> snapshot) {
      stateChanged(snapshot);
    }

    /** The device emits an event. */
    void event(String name, Map<String, Object> data);
  }

  private final Vertx vertx;
  private final Context context;
  private final OnContext ctx;
  private final SimDeviceSpec spec;
  private final Behavior behavior;
  private final Random random;
  private final long reportIntervalMs;
  private final Reports reports;
  private final AtomicInteger commands = new AtomicInteger();
  private final List<String> commandIds = Collections.synchronizedList(new ArrayList<>());

  private volatile SimFaults faults;
  private volatile Map<String, Object> snapshot;
  // confined to the device's context
  private long periodicTimer = -1;
  private long lastTick;

  /**
   * @throws IllegalArgumentException for an unknown profile
   */
  public DeviceCore(Vertx vertx, Context context, SimOptions options, SimDeviceSpec spec, Reports reports) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.context = Objects.requireNonNull(context, "context");
    this.ctx = new OnContext(context);
    this.spec = Objects.requireNonNull(spec, "spec");
    this.reports = Objects.requireNonNull(reports, "reports");
    this.behavior = Behaviors.create(spec.profile());
    this.random = new Random(spec.id().hashCode());
    this.reportIntervalMs = spec.reportIntervalMs() > 0 ? spec.reportIntervalMs()
        : Objects.requireNonNull(options, "options").defaultReportIntervalMs();
    this.faults = spec.faults();
    this.behavior.attach(new Host());
    this.snapshot = Collections.unmodifiableMap(behavior.snapshot());
  }

  public Vertx vertx() {
    return vertx;
  }

  public Context context() {
    return context;
  }

  public SimDeviceSpec spec() {
    return spec;
  }

  public String id() {
    return spec.id();
  }

  public String profile() {
    return spec.profile();
  }

  /** The device's random source (seeded by its id), shared with the behaviour. */
  public Random random() {
    return random;
  }

  public long reportIntervalMs() {
    return reportIntervalMs;
  }

  public Set<String> actions() {
    return behavior.actions();
  }

  // ---- calling convention ----

  /** Runs {@code work} on the device's context (directly when already there) and flattens its future. */
  public <T> Future<T> onContext(Supplier<Future<T>> work) {
    return ctx.call(work).compose(f -> f);
  }

  /** Runs {@code work} on the context; off the simulator's threads waits for its future, on them returns at once. */
  public void await(Supplier<Future<Void>> work) {
    ctx.awaitFuture(onContext(work));
  }

  /** Starts the periodic reports (first one at a random point of the interval), then {@code bringUp}. */
  public Future<Void> start(Supplier<Future<Void>> bringUp) {
    return onContext(() -> {
      lastTick = System.currentTimeMillis();
      long firstDelay = 1 + (long) (random.nextDouble() * reportIntervalMs);
      periodicTimer = vertx.setPeriodic(firstDelay, reportIntervalMs, t -> periodic());
      return bringUp.get();
    });
  }

  /** Stops the periodic reports and the behaviour, then {@code shutdown}; never fails. */
  public Future<Void> close(Supplier<Future<Void>> shutdown) {
    return this.<Void>onContext(() -> {
      vertx.cancelTimer(periodicTimer);
      behavior.stop();
      return shutdown.get();
    }).recover(e -> Future.succeededFuture());
  }

  private void periodic() {
    long now = System.currentTimeMillis();
    behavior.tick(now - lastTick);
    lastTick = now;
    reports.periodicReport(refresh());
  }

  // ---- state and events ----

  public Map<String, Object> state() {
    return snapshot;
  }

  /** On the context: takes a fresh snapshot of the behaviour's state and returns it. */
  public Map<String, Object> refresh() {
    snapshot = Collections.unmodifiableMap(behavior.snapshot());
    return snapshot;
  }

  /** On the context: refreshes the snapshot and reports the change. */
  public void stateChanged() {
    reports.stateChanged(refresh());
  }

  /** {@code SimDevice.setState}: a local change, reported when accepted. */
  public void setState(Map<String, Object> changes) {
    Map<String, Object> copy = new LinkedHashMap<>(Objects.requireNonNull(changes, "changes"));
    Outcome o = ctx.callAndWait(() -> {
      Outcome r = behavior.setLocal(copy);
      if (r.ok()) {
        stateChanged();
      }
      return r;
    });
    if (o != null && !o.ok()) {
      throw new IllegalArgumentException(o.error());
    }
  }

  /** {@code SimDevice.emitEvent}. */
  public void emitEvent(String name, Map<String, Object> data) {
    Objects.requireNonNull(name, "name");
    Map<String, Object> copy = data == null ? Map.of() : new LinkedHashMap<>(data);
    ctx.callAndWait(() -> {
      reports.event(name, copy);
      return null;
    });
  }

  // ---- commands and faults ----

  public SimFaults faults() {
    return faults;
  }

  public void setFaults(SimFaults newFaults) {
    this.faults = Objects.requireNonNull(newFaults, "faults");
  }

  /** Counts a received command (duplicates included). */
  public void received(String commandId) {
    commands.incrementAndGet();
    commandIds.add(commandId);
  }

  public int commandsReceived() {
    return commands.get();
  }

  /** Ids of the received commands in arrival order. */
  public List<String> receivedCommandIds() {
    synchronized (commandIds) {
      return List.copyOf(commandIds);
    }
  }

  /** On the context: runs {@code task} now, or after the reply-delay fault when one is set. */
  public void afterReplyDelay(Runnable task) {
    long delay = faults.replyDelayMs();
    if (delay > 0) {
      vertx.setTimer(delay, t -> task.run());
    } else {
      task.run();
    }
  }

  /** On the context: sets properties as a command; {@link #REJECTED} under the reject fault. */
  public Outcome set(Map<String, Object> values) {
    return faults.reject() ? REJECTED : behavior.set(values);
  }

  /** On the context: invokes an action as a command; {@link #REJECTED} under the reject fault. */
  public Outcome act(String name, Map<String, Object> input) {
    return faults.reject() ? REJECTED : behavior.act(name, input);
  }

  /** On the context: whether the dropped-replies fault swallows this reply (draws from the random source). */
  public boolean dropReply() {
    double drop = faults.dropReplies();
    return drop > 0 && random.nextDouble() < drop;
  }

  /** Gives the behaviour timers and reports on the device's context. */
  private final class Host implements DeviceHost {
    @Override
    public void stateChanged() {
      DeviceCore.this.stateChanged();
    }

    @Override
    public void emitEvent(String name, Map<String, Object> data) {
      reports.event(name, data);
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
