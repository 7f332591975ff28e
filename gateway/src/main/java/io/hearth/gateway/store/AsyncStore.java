package io.hearth.gateway.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Consumer;
import java.util.function.Function;

/** TEMPORARY placeholder until the real one lands. */
public final class AsyncStore {
  private final Vertx vertx;
  private final Store store;

  public AsyncStore(Vertx vertx, Store store) {
    this.vertx = vertx;
    this.store = store;
  }

  public <T> Future<T> call(Function<Store, T> op) {
    return vertx.executeBlocking(() -> op.apply(store), true);
  }

  public Future<Void> run(Consumer<Store> op) {
    return call(s -> {
      op.accept(s);
      return null;
    });
  }

  public Future<Void> close() {
    return run(Store::close);
  }
}
