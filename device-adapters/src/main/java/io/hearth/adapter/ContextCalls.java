package io.hearth.adapter;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/** Runs adapter operations on the adapter's Vert.x context, whoever calls them. */
public final class ContextCalls {
  private ContextCalls() {}

  /**
   * Runs {@code action} on {@code context} (at once when already there) and completes on it; an
   * exception thrown by the action fails the future instead of escaping.
   */
  public static <T> Future<T> onContext(Context context, Supplier<Future<T>> action) {
    if (Vertx.currentContext() == context) {
      return run(action);
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> run(action).onComplete(promise));
    return promise.future();
  }

  private static <T> Future<T> run(Supplier<Future<T>> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
