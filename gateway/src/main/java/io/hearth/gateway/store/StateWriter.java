package io.hearth.gateway.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches state snapshots and history points to spare the disk (an SD card, often): only the
 * latest snapshot of each device is kept between flushes, and everything is written at most every
 * {@code flushInterval} in two transactions. History points flush early once
 * {@code maxPendingHistory} are waiting; if the store cannot keep up (one write in flight), points
 * past twice that limit are dropped, oldest first, and counted in a log line. A failed write is put
 * back and retried at the next flush.
 *
 * <p>The methods are thread-safe and never block (a short lock guards the buffers). Call
 * {@link #start()} once, and {@link #close()} (or {@link #flush()}) at shutdown.
 */
public final class StateWriter {
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
  public static final int DEFAULT_MAX_PENDING_HISTORY = 50_000;

  private static final Logger LOG = LoggerFactory.getLogger(StateWriter.class);

  private final Vertx vertx;
  private final Context context;
  private final AsyncStore store;
  private final long intervalMs;
  private final int maxPendingHistory;
  private final int hardCap;
  private final Object lock = new Object();

  // guarded by lock
  private Map<String, DeviceStateSnapshot> states = new LinkedHashMap<>();
  private ArrayDeque<HistoryPoint> points = new ArrayDeque<>();
  private Future<Void> inFlight = Future.succeededFuture();
  private boolean earlyFlushScheduled;
  private long dropped;
  private boolean failing;
  private long timerId = -1;

  public StateWriter(Vertx vertx, AsyncStore store) {
    this(vertx, store, DEFAULT_FLUSH_INTERVAL, DEFAULT_MAX_PENDING_HISTORY);
  }

  /** The writer's timer and early flushes run on the context current at construction (or a new one). */
  public StateWriter(Vertx vertx, AsyncStore store, Duration flushInterval, int maxPendingHistory) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.intervalMs = Math.max(1, Objects.requireNonNull(flushInterval, "flushInterval").toMillis());
    if (maxPendingHistory < 1) {
      throw new IllegalArgumentException("maxPendingHistory must be ≥ 1: " + maxPendingHistory);
    }
    this.maxPendingHistory = maxPendingHistory;
    this.hardCap = maxPendingHistory * 2;
    this.context = vertx.getOrCreateContext();
  }

  /** Starts the periodic flush. */
  public void start() {
    context.runOnContext(v -> {
      synchronized (lock) {
        if (timerId < 0) {
          timerId = vertx.setPeriodic(intervalMs, id -> flushIfIdle());
        }
      }
    });
  }

  /** Records a device's latest state; replaces a buffered one unless that one has a higher version. */
  public void stateChanged(DeviceStateSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    synchronized (lock) {
      states.merge(snapshot.deviceId(), snapshot, StateWriter::newer);
    }
  }

  /** Buffers a history point. */
  public void history(HistoryPoint point) {
    Objects.requireNonNull(point, "point");
    boolean flushEarly = false;
    synchronized (lock) {
      points.addLast(point);
      if (points.size() > hardCap) {
        points.pollFirst();
        dropped++;
      }
      if (points.size() >= maxPendingHistory && !earlyFlushScheduled) {
        earlyFlushScheduled = true;
        flushEarly = true;
      }
    }
    if (flushEarly) {
      context.runOnContext(v -> {
        synchronized (lock) {
          earlyFlushScheduled = false;
        }
        flushIfIdle();
      });
    }
  }

  /**
   * Writes everything buffered now (after a write in flight, if any). Succeeds once it is in the
   * store; fails if the store write fails (the data is then kept for the next flush).
   */
  public Future<Void> flush() {
    Future<Void> previous;
    synchronized (lock) {
      previous = inFlight;
    }
    return previous.transform(ignored -> write());
  }

  /** Stops the periodic flush and flushes. */
  public Future<Void> close() {
    synchronized (lock) {
      if (timerId >= 0) {
        vertx.cancelTimer(timerId);
        timerId = -1;
      }
    }
    return flush();
  }

  private void flushIfIdle() {
    boolean idle;
    synchronized (lock) {
      idle = inFlight.isComplete();
    }
    if (idle) {
      write();
    }
  }

  private Future<Void> write() {
    Map<String, DeviceStateSnapshot> batchStates;
    ArrayDeque<HistoryPoint> batchPoints;
    long droppedNow;
    synchronized (lock) {
      if (states.isEmpty() && points.isEmpty()) {
        return Future.succeededFuture();
      }
      batchStates = states;
      batchPoints = points;
      droppedNow = dropped;
      states = new LinkedHashMap<>();
      points = new ArrayDeque<>();
      dropped = 0;
    }
    if (droppedNow > 0) {
      LOG.warn("history points dropped, the store is not keeping up [count: {}]", droppedNow);
    }
    List<DeviceStateSnapshot> stateList = List.copyOf(batchStates.values());
    Future<Void> written = store.run(s -> {
      if (!stateList.isEmpty()) {
        s.states().save(stateList);
      }
      if (!batchPoints.isEmpty()) {
        s.states().appendHistory(batchPoints);
      }
    });
    written.onSuccess(v -> recovered(stateList.size(), batchPoints.size()))
        .onFailure(e -> putBack(batchStates, batchPoints, e));
    synchronized (lock) {
      inFlight = written;
    }
    return written;
  }

  private void recovered(int stateCount, int pointCount) {
    boolean wasFailing;
    synchronized (lock) {
      wasFailing = failing;
      failing = false;
    }
    if (wasFailing) {
      LOG.info("state writes recovered");
    }
    LOG.debug("state flushed [states: {}, points: {}]", stateCount, pointCount);
  }

  private void putBack(Map<String, DeviceStateSnapshot> batchStates, ArrayDeque<HistoryPoint> batchPoints,
      Throwable e) {
    boolean firstFailure;
    synchronized (lock) {
      firstFailure = !failing;
      failing = true;
      batchStates.forEach((id, s) -> states.merge(id, s, StateWriter::newer));
      batchPoints.addAll(points); // the older points first
      points = batchPoints;
      while (points.size() > hardCap) {
        points.pollFirst();
        dropped++;
      }
    }
    if (firstFailure) {
      LOG.warn("state write failed, will retry [reason: {}]", e.getMessage());
    } else {
      LOG.debug("state write failed again [reason: {}]", e.getMessage());
    }
  }

  private static DeviceStateSnapshot newer(DeviceStateSnapshot old, DeviceStateSnapshot candidate) {
    return candidate.version() >= old.version() ? candidate : old;
  }
}
