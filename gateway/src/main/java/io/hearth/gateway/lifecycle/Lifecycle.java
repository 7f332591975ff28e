package io.hearth.gateway.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Components started one after the other in list order, each once the one before it is up, and
 * stopped in reverse (Leshan's and Hono's servers start and stop their parts this way). A start
 * that fails stops the components already started, in reverse, and then fails with the first
 * cause. {@link #stop()} stops every started component even if one of them fails to stop, and
 * fails with the first such failure; it may be called more than once (later calls find nothing
 * left to stop).
 *
 * <p>The futures it returns belong to no Vert.x context: they complete on the thread that ends the
 * last step, even when what follows closes the Vert.x instance the components ran on (a future
 * bound to one of its event loops would never complete then).
 *
 * <p>Call {@link #start()} and {@link #stop()} one after the other; a stop while a start is under
 * way stops what has started and makes the start fail.
 */
public final class Lifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

  private final String name;
  private final List<Component> components;
  private final Deque<Component> started = new ArrayDeque<>();
  private State state = State.NEW;

  private enum State { NEW, STARTING, STARTED, STOPPED }

  private Lifecycle(String name, List<Component> components) {
    this.name = Objects.requireNonNull(name, "name");
    this.components = List.copyOf(components);
  }

  /** The components of {@code name}, in start order. */
  public static Lifecycle of(String name, List<Component> components) {
    return new Lifecycle(name, components);
  }

  /** The components of {@code name}, in start order. */
  public static Lifecycle of(String name, Component... components) {
    return new Lifecycle(name, List.of(components));
  }

  /** Starts the components in order; completes once the last is up. Call once. */
  public Future<Void> start() {
    synchronized (this) {
      if (state != State.NEW) {
        return Future.failedFuture(new IllegalStateException(name + " can start only once"));
      }
      state = State.STARTING;
    }
    Promise<Void> started = Promise.promise();
    startFrom(0, started);
    Promise<Void> done = Promise.promise();
    started.future().onComplete(r -> {
      if (r.succeeded() && markStarted()) {
        done.complete();
        return;
      }
      Throwable cause = r.succeeded() ? new IllegalStateException(name + " stopped while starting") : r.cause();
      LOG.warn("{} did not start, stopping what started: {}", name, cause.toString());
      stop().onComplete(s -> done.fail(cause));
    });
    return done.future();
  }

  private synchronized boolean markStarted() {
    if (state != State.STARTING) {
      return false;
    }
    state = State.STARTED;
    return true;
  }

  private void startFrom(int i, Promise<Void> done) {
    if (i == components.size()) {
      done.complete();
      return;
    }
    Component c = components.get(i);
    synchronized (this) {
      if (state != State.STARTING) {
        done.fail(new IllegalStateException(name + " stopped while starting"));
        return;
      }
    }
    call(c::start).onComplete(r -> {
      if (r.failed()) {
        done.fail(r.cause());
        return;
      }
      synchronized (this) {
        started.push(c);
      }
      LOG.debug("started [{}: {}]", name, c.name());
      startFrom(i + 1, done);
    });
  }

  /** Stops the started components in reverse order; the first failure, if any, fails the result. */
  public Future<Void> stop() {
    synchronized (this) {
      state = State.STOPPED;
    }
    Promise<Void> done = Promise.promise();
    stopNext(null, done);
    return done.future();
  }

  private void stopNext(Throwable firstFailure, Promise<Void> done) {
    Component c;
    synchronized (this) {
      c = started.poll();
    }
    if (c == null) {
      if (firstFailure == null) {
        done.complete();
      } else {
        done.fail(firstFailure);
      }
      return;
    }
    call(c::stop).onComplete(r -> {
      if (r.failed()) {
        LOG.warn("{} did not stop cleanly [component: {}]: {}", name, c.name(), r.cause().toString());
      } else {
        LOG.debug("stopped [{}: {}]", name, c.name());
      }
      stopNext(firstFailure != null || r.succeeded() ? firstFailure : r.cause(), done);
    });
  }

  private static Future<Void> call(Supplier<Future<Void>> step) {
    try {
      return step.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
