package io.hearth.gateway.store;

import io.hearth.gateway.store.StoreUnavailableException.Reason;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Instant;
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
 * <pre>{@code
 * AsyncStore store = new AsyncStore(vertx, new SqliteStore(dataDir));
 * store.open()
 *     .compose(v -> store.call(s -> s.devices().load()))
 *     .onSuccess(devices -> ...);
 * }</pre>
 */
public final class AsyncStore {
  /** Name of the worker pool (its thread is {@code hearth-store-0}). */
  public static final String POOL_NAME = "hearth-store";

  private static final Logger LOG = LoggerFactory.getLogger(AsyncStore.class);
  /** A store call running longer than this is reported by Vert.x's blocked-thread checker. */
  private static final long MAX_CALL_SECONDS = 10;

  private final Store store;
  private final WorkerExecutor worker;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Future<Void> closing;
  private volatile StoreHealth closedHealth;

  public AsyncStore(Vertx vertx, Store store) {
    this(vertx, store, POOL_NAME);
  }

  /** With another pool name, e.g. for two stores in one Vert.x instance. */
  public AsyncStore(Vertx vertx, Store store, String poolName) {
    Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.worker = vertx.createSharedWorkerExecutor(Objects.requireNonNull(poolName, "poolName"), 1,
        MAX_CALL_SECONDS, TimeUnit.SECONDS);
  }

  /** Opens the wrapped store ({@link Store#open()}). */
  public Future<Void> open() {
    return run(Store::open);
  }

  /**
   * Runs {@code op} on the store thread. The future fails with whatever {@code op} throws (a
   * {@link StoreUnavailableException} when the disk or file system fails), or with a
   * {@link StoreUnavailableException} of reason {@code CLOSED} once {@link #close()} was called.
   */
  public <T> Future<T> call(Function<Store, T> op) {
    Objects.requireNonNull(op, "op");
    if (closed.get()) {
      return Future.failedFuture(new StoreUnavailableException(Reason.CLOSED, "store closed"));
    }
    // Unordered on purpose: with one thread the pool's FIFO queue already runs calls one at a time
    // in submission order, across all callers; "ordered" would only order per calling context.
    return worker.executeBlocking(() -> op.apply(store), false);
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
   * Refuses new calls, lets the queued ones finish, closes the store and releases the thread.
   * Idempotent: later calls return the same future.
   */
  public Future<Void> close() {
    if (closed.compareAndSet(false, true)) {
      closedHealth = StoreHealth.down(Reason.CLOSED, "store closed", Instant.now());
      closing = worker.<Void>executeBlocking(() -> {
        store.close();
        return null;
      }, false)
          .onFailure(e -> LOG.warn("store close failed [reason: {}]", e.getMessage()))
          .eventually(worker::close);
    }
    return closing;
  }
}
