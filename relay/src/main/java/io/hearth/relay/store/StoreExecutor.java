package io.hearth.relay.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

/** Runs every store call, in order, on one worker thread: the event loop never touches SQLite. */
public final class StoreExecutor {
  /** A store call that may throw. */
  @FunctionalInterface
  public interface Call<T> {
    T apply(RelayStore store) throws Exception;
  }

  private final RelayStore store;
  private final WorkerExecutor worker;

  public StoreExecutor(Vertx vertx, RelayStore store) {
    this.store = store;
    this.worker = vertx.createSharedWorkerExecutor("hearth-relay-store", 1);
  }

  public <T> Future<T> call(Call<T> call) {
    return worker.executeBlocking(() -> call.apply(store), true);
  }

  public Future<Void> close() {
    Future<Void> closed = worker.executeBlocking(() -> {
      store.close();
      return null;
    }, true);
    return closed.eventually(worker::close);
  }
}
