package io.hearth.adapter;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The one funnel onto an adapter's Vert.x context: adapter operations called from any thread
 * ({@link #onContext}) and protocol-library callbacks ({@link #executor}).
 */
public final class ContextCalls {
  private ContextCalls() {}

  /**
   * An executor that runs every task on {@code context}, in submission order, always later (never
   * inside the caller's frame, so a library thread is released at once). The CoAP adapter hands its
   * whole request and observation tree to one such executor (Hono's {@code HonoRootResource}
   * pattern) instead of hopping at each callback site; a task that throws is logged by Vert.x and
   * does not stop later ones.
   */
  public static Executor executor(Context context) {
    Objects.requireNonNull(context, "context");
    return task -> context.runOnContext(v -> task.run());
  }

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
