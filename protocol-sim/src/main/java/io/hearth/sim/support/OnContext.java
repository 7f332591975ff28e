package io.hearth.sim.support;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs work on one device's context and, for callers off the simulator's threads, waits for it.
 * Callers on a Vert.x thread never block: they get the work scheduled and return at once. Shared by
 * the simulator's transports; not part of the library's API.
 */
public final class OnContext {

  private static final long WAIT_SECONDS = 15;

  private final Context context;

  public OnContext(Context context) {
    this.context = context;
  }

  /** Runs {@code work} on the context; directly when already there. */
  public <T> Future<T> call(Supplier<T> work) {
    if (Vertx.currentContext() == context) {
      try {
        return Future.succeededFuture(work.get());
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> {
      try {
        p.complete(work.get());
      } catch (RuntimeException e) {
        p.fail(e);
      }
    });
    return p.future();
  }

  /** Runs {@code work} and returns its result; on a foreign Vert.x thread returns null at once. */
  public <T> T callAndWait(Supplier<T> work) {
    Future<T> f = call(work);
    if (Context.isOnVertxThread() && !f.isComplete()) {
      return null;
    }
    return await(f);
  }

  /** Waits for {@code f} unless on a Vert.x thread. */
  public void awaitFuture(Future<?> f) {
    if (!Context.isOnVertxThread()) {
      await(f);
    }
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException && !(cause instanceof IllegalStateException)) {
        throw (RuntimeException) cause;
      }
      throw new IllegalStateException(cause == null ? "failed" : cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("device did not complete within " + WAIT_SECONDS + " s", e);
    }
  }
}
