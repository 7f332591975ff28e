package io.hearth.gateway.store;

import io.hearth.gateway.store.StoreUnavailableException.Reason;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every call of a blocking {@link Store} on one dedicated Vert.x worker thread, in the order
 * the calls were made (across all callers), and completes the returned futures on the calling
 * Vert.x context. Safe to call from any thread; never blocks the caller.
 *
 * <p>Group commit (docs/storage.md#durability): the calls queued while the store thread was busy
 * (with the previous group's commit and sync) run together as one {@link Store#commitGroup group},
 * at most {@link Durability#maxBatch()} of them: one transaction, at most one sync; their futures
 * complete once it is committed (and synced, where the level asks for it). At level {@code normal}
 * a second worker thread syncs what was written at most {@link Durability#syncInterval()} later.
 *
 * <pre>{@code
 * AsyncStore store = new AsyncStore(vertx, new SqliteStore(dataDir, transports));
 * store.open()
 *     .compose(v -> store.call(s -> s.devices().load()))
 *     .onSuccess(devices -> ...);
 * }</pre>
 */
public final class AsyncStore {
  /** Name of the worker pool (its thread is {@code hearth-store-0}); the periodic sync's ends in {@code -sync}. */
  public static final String POOL_NAME = "hearth-store";

  private static final Logger LOG = LoggerFactory.getLogger(AsyncStore.class);
  /** A group running longer than this is reported by Vert.x's blocked-thread checker. */
  private static final long MAX_CALL_SECONDS = 10;

  private final Vertx vertx;
  private final Store store;
  private final WorkerExecutor worker;
  private final WorkerExecutor syncWorker;
  private final int maxBatch;
  private final long syncIntervalMs;
  private final AtomicBoolean syncArmed = new AtomicBoolean();
  private final Object lock = new Object();
  // guarded by lock
  private final ArrayDeque<Call<?>> queue = new ArrayDeque<>();
  private boolean draining;
  private boolean closed;
  private Future<Void> closing;
  private volatile StoreHealth closedHealth;

  public AsyncStore(Vertx vertx, Store store) {
    this(vertx, store, POOL_NAME, Durability.DEFAULTS);
  }

  /** With the group commit's batch size and sync interval of {@code durability}. */
  public AsyncStore(Vertx vertx, Store store, Durability durability) {
    this(vertx, store, POOL_NAME, durability);
  }

  /** With another pool name, e.g. for two stores in one Vert.x instance. */
  public AsyncStore(Vertx vertx, Store store, String poolName) {
    this(vertx, store, poolName, Durability.DEFAULTS);
  }

  public AsyncStore(Vertx vertx, Store store, String poolName, Durability durability) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    Objects.requireNonNull(poolName, "poolName");
    this.maxBatch = durability.maxBatch();
    this.syncIntervalMs = Math.max(1, durability.syncInterval().toMillis());
    this.worker = vertx.createSharedWorkerExecutor(poolName, 1, MAX_CALL_SECONDS, TimeUnit.SECONDS);
    this.syncWorker = vertx.createSharedWorkerExecutor(poolName + "-sync", 1, MAX_CALL_SECONDS, TimeUnit.SECONDS);
  }

  /** Opens the wrapped store ({@link Store#open()}), on its own: not in a group commit. */
  public Future<Void> open() {
    return callAlone(s -> {
      s.open();
      return null;
    });
  }

  /**
   * Runs {@code op} on the store thread, in a group commit with the calls queued with it. The future
   * fails with whatever {@code op} throws (its writes are then undone), with the
   * {@link StoreUnavailableException} that failed its whole group (the disk or file system failed),
   * or with a {@link StoreUnavailableException} of reason {@code CLOSED} once {@link #close()} was
   * called.
   */
  public <T> Future<T> call(Function<Store, T> op) {
    Objects.requireNonNull(op, "op");
    return enqueue(new Call<>(op, vertx.getOrCreateContext(), false));
  }

  private <T> Future<T> enqueue(Call<T> call) {
    boolean start;
    synchronized (lock) {
      if (closed) {
        return Future.failedFuture(new StoreUnavailableException(Reason.CLOSED, "store closed"));
      }
      queue.addLast(call);
      start = !draining;
      draining = true;
    }
    if (start) {
      submitDrain();
    }
    return call.promise.future();
  }

  /**
   * Like {@link #call}, but on its own, outside any transaction: for what SQLite refuses inside one
   * ({@code VACUUM}, {@code VACUUM INTO}, a backup). Ordered with the other calls; a write it makes
   * commits by itself, without the group commit's syncs (SQLite syncs it at its next checkpoint).
   */
  public <T> Future<T> callAlone(Function<Store, T> op) {
    Objects.requireNonNull(op, "op");
    return enqueue(new Call<>(op, vertx.getOrCreateContext(), true));
  }

  /**
   * What the store can do right now, as of its last call ({@link Store#health()}): never blocks and
   * needs no round trip to the store thread, so an event loop may call it for each health check.
   * Down once {@link #close()} was called.
   */
  public StoreHealth health() {
    StoreHealth closedHealth = this.closedHealth;
    return closedHealth != null ? closedHealth : store.health();
  }

  /** Like {@link #call} for an operation without a result. */
  public Future<Void> run(Consumer<Store> op) {
    Objects.requireNonNull(op, "op");
    return call(s -> {
      op.accept(s);
      return null;
    });
  }

  /**
   * Refuses new calls, lets the queued ones finish, closes the store (which syncs what is left) and
   * releases the threads. Idempotent: later calls return the same future.
   */
  public Future<Void> close() {
    synchronized (lock) {
      if (closed) {
        return closing;
      }
      closed = true;
      closedHealth = StoreHealth.down(Reason.CLOSED, "store closed", Instant.now());
      closing = worker.<Void>executeBlocking(() -> {
        List<Call<?>> group;
        while (!(group = take()).isEmpty()) {
          commit(group);
        }
        store.close();
        return null;
      }, false)
          .onFailure(e -> LOG.warn("store close failed [reason: {}]", e.getMessage()))
          .eventually(worker::close)
          .eventually(syncWorker::close);
      return closing;
    }
  }

  private void submitDrain() {
    worker.executeBlocking(() -> {
      commit(take());
      boolean more;
      synchronized (lock) {
        more = !queue.isEmpty();
        draining = more;
      }
      if (more) {
        submitDrain(); // one group per task: the blocked-thread checker watches each group
      }
      return null;
    }, false).onFailure(e -> LOG.error("store group commit failed unexpectedly", e));
  }

  /**
   * The next group: the calls queued now, at most {@code maxBatch}; a {@link #callAlone} call is a
   * group of its own.
   */
  private List<Call<?>> take() {
    synchronized (lock) {
      List<Call<?>> group = new ArrayList<>(Math.min(queue.size(), maxBatch));
      if (!queue.isEmpty() && queue.peekFirst().alone) {
        group.add(queue.pollFirst());
        return group;
      }
      while (group.size() < maxBatch && !queue.isEmpty() && !queue.peekFirst().alone) {
        group.add(queue.pollFirst());
      }
      return group;
    }
  }

  /** On the store thread: commits a group, then completes its calls, one hop per calling context. */
  private void commit(List<Call<?>> group) {
    if (group.isEmpty()) {
      return;
    }
    Throwable caught = null;
    boolean unsynced = false;
    try {
      if (group.get(0).alone) {
        group.get(0).run();
      } else {
        unsynced = store.commitGroup(group);
      }
    } catch (RuntimeException | Error e) {
      caught = e;
      LOG.debug("group commit failed [calls: {}, reason: {}]", group.size(), e.getMessage());
    }
    Throwable failure = group.get(0).alone ? null : caught; // a call alone recorded its own failure
    Map<Context, List<Call<?>>> byContext = new LinkedHashMap<>();
    group.forEach(c -> byContext.computeIfAbsent(c.context, k -> new ArrayList<>()).add(c));
    byContext.forEach((context, calls) -> context.runOnContext(v -> calls.forEach(c -> c.complete(failure))));
    if (unsynced) {
      armSync();
    }
  }

  /** Level {@code normal}: syncs what was written within the sync interval, off the store thread. */
  private void armSync() {
    if (!syncArmed.compareAndSet(false, true)) {
      return; // a sync is due already: it will cover this write
    }
    vertx.setTimer(syncIntervalMs, id -> {
      synchronized (lock) {
        if (closed) {
          return; // closing the store syncs what is left
        }
        syncWorker.executeBlocking(() -> {
          syncArmed.set(false); // a write from now on arms the next sync
          return store.sync();
        }, false).onFailure(e -> {
          LOG.warn("store sync failed, trying again [reason: {}]", e.getMessage());
          armSync();
        });
      }
    });
  }

  /** One call: runs inside a group commit, records its result, completes on its caller's context. */
  private final class Call<T> implements Runnable {
    final Function<Store, T> op;
    final Context context;
    /** Runs outside any group commit ({@link #callAlone}). */
    final boolean alone;
    final Promise<T> promise = Promise.promise();
    T value;
    Throwable failure;

    Call(Function<Store, T> op, Context context, boolean alone) {
      this.op = op;
      this.context = context;
      this.alone = alone;
    }

    @Override
    public void run() {
      try {
        value = op.apply(store);
      } catch (RuntimeException | Error e) {
        failure = e;
        throw e;
      }
    }

    void complete(Throwable groupFailure) {
      if (groupFailure != null) {
        promise.fail(groupFailure);
      } else if (failure != null) {
        promise.fail(failure);
      } else {
        promise.complete(value);
      }
    }
  }
}
