package io.hearth.gateway.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tier 1: {@link Lifecycle} — start in order, stop in reverse, a failed start undoes itself. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LifecycleTest {
  private final List<String> calls = new ArrayList<>();

  private Component part(String name) {
    return Component.of(name, () -> record("start " + name), () -> record("stop " + name));
  }

  private Future<Void> record(String call) {
    calls.add(call);
    return Future.succeededFuture();
  }

  @Test
  void startsInOrderAndStopsInReverse() {
    // GIVEN three parts
    Lifecycle lifecycle = Lifecycle.of("test", part("a"), part("b"), part("c"));

    // WHEN it starts and stops
    Future<Void> started = lifecycle.start();
    Future<Void> stopped = lifecycle.stop();

    // THEN each started in list order, and stopped in reverse
    assertTrue(started.succeeded());
    assertTrue(stopped.succeeded());
    assertEquals(List.of("start a", "start b", "start c", "stop c", "stop b", "stop a"), calls);
  }

  @Test
  void waitsForEachStartBeforeTheNext() {
    // GIVEN a first part whose start completes later
    Promise<Void> slow = Promise.promise();
    Lifecycle lifecycle = Lifecycle.of("test",
        Component.of("a", () -> {
          calls.add("start a");
          return slow.future();
        }, () -> record("stop a")),
        part("b"));

    // WHEN it starts
    Future<Void> started = lifecycle.start();

    // THEN b waits for a
    assertEquals(List.of("start a"), calls);
    assertFalse(started.isComplete());
    slow.complete();
    assertTrue(started.succeeded());
    assertEquals(List.of("start a", "start b"), calls);
  }

  @Test
  void aFailedStartStopsWhatStartedInReverse() {
    // GIVEN a third part that cannot start, and a fourth after it
    RuntimeException cause = new IllegalStateException("port in use");
    Lifecycle lifecycle = Lifecycle.of("test", part("a"), part("b"),
        Component.of("c", () -> {
          calls.add("start c");
          return Future.failedFuture(cause);
        }, () -> record("stop c")),
        part("d"));

    // WHEN it starts
    Future<Void> started = lifecycle.start();

    // THEN b and a are stopped, in that order; c (never up) and d (never started) are not; the
    // start fails with c's cause
    assertTrue(started.failed());
    assertSame(cause, started.cause());
    assertEquals(List.of("start a", "start b", "start c", "stop b", "stop a"), calls);

    // AND a later stop finds nothing left to stop
    assertTrue(lifecycle.stop().succeeded());
    assertEquals(5, calls.size());
  }

  @Test
  void aStartThatThrowsCountsAsAFailedStart() {
    // GIVEN a part whose start throws instead of returning a failed future
    Lifecycle lifecycle = Lifecycle.of("test", part("a"),
        Component.onStart("b", () -> {
          throw new IllegalArgumentException("bad");
        }));

    // WHEN it starts
    Future<Void> started = lifecycle.start();

    // THEN it fails and a is stopped
    assertTrue(started.failed());
    assertEquals("bad", started.cause().getMessage());
    assertEquals(List.of("start a", "stop a"), calls);
  }

  @Test
  void aFailedStopDoesNotKeepTheOthersRunning() {
    // GIVEN a middle part whose stop fails
    RuntimeException cause = new IllegalStateException("flush failed");
    Lifecycle lifecycle = Lifecycle.of("test", part("a"),
        Component.of("b", () -> record("start b"), () -> {
          calls.add("stop b");
          return Future.failedFuture(cause);
        }),
        part("c"));
    assertTrue(lifecycle.start().succeeded());

    // WHEN it stops, twice
    Future<Void> stopped = lifecycle.stop();
    Future<Void> again = lifecycle.stop();

    // THEN every part is stopped once, in reverse, and the first failure is reported
    assertEquals(List.of("start a", "start b", "start c", "stop c", "stop b", "stop a"), calls);
    assertTrue(stopped.failed());
    assertSame(cause, stopped.cause());
    assertTrue(again.succeeded());
  }

  @Test
  void startsOnlyOnce() {
    Lifecycle lifecycle = Lifecycle.of("test", part("a"));
    assertTrue(lifecycle.start().succeeded());
    assertTrue(lifecycle.start().failed());
    assertEquals(List.of("start a"), calls);
  }
}
