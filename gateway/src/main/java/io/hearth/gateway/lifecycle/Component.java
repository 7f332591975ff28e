package io.hearth.gateway.lifecycle;

import io.vertx.core.Future;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A part of the gateway with a start and a stop, run by a {@link Lifecycle}: started in list
 * order, stopped in reverse. Either step may be empty: a part that only needs to do something on
 * stop (e.g. answer in-flight commands before the HTTP server goes) is placed where its stop must
 * run.
 */
public interface Component {

  /** A short name for logs ({@code store}, {@code http}). */
  String name();

  /** Starts the part; a failure stops the parts started before it, in reverse. */
  Future<Void> start();

  /** Stops the part; called only after its start succeeded, at most once. */
  Future<Void> stop();

  /** A component of two steps, each returning a future (its value is ignored). */
  static Component of(String name, Supplier<? extends Future<?>> start, Supplier<? extends Future<?>> stop) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(stop, "stop");
    return new Component() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Future<Void> start() {
        return start.get().mapEmpty();
      }

      @Override
      public Future<Void> stop() {
        return stop.get().mapEmpty();
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  /** A component that only starts (nothing to undo). */
  static Component onStart(String name, Supplier<? extends Future<?>> start) {
    return of(name, start, Future::succeededFuture);
  }

  /** A component that only stops, at its place in the reverse order. */
  static Component onStop(String name, Supplier<? extends Future<?>> stop) {
    return of(name, Future::succeededFuture, stop);
  }
}
