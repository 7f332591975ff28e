package io.hearth.gateway.automation;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;

/** A {@link Scheduler} whose time moves only when the test says so: tasks run inside {@link #advance}. */
final class ManualScheduler implements Scheduler {
  private final PriorityQueue<Task> tasks = new PriorityQueue<>(
      Comparator.comparing((Task t) -> t.at).thenComparingLong(t -> t.order));
  private Instant now;
  private long order;

  private static final class Task implements Timer {
    final Instant at;
    final long order;
    final Runnable run;
    boolean cancelled;

    Task(Instant at, long order, Runnable run) {
      this.at = at;
      this.order = order;
      this.run = run;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  ManualScheduler(Instant start) {
    this.now = start;
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public Timer schedule(Duration delay, Runnable task) {
    Task t = new Task(delay.isNegative() ? now : now.plus(delay), order++, task);
    tasks.add(t);
    return t;
  }

  /** Moves time forward, running every task due on the way at its own instant. */
  void advance(Duration d) {
    advanceTo(now.plus(d));
  }

  void advanceTo(Instant end) {
    while (!tasks.isEmpty() && !tasks.peek().at.isAfter(end)) {
      Task t = tasks.poll();
      now = t.at;
      if (!t.cancelled) {
        t.run.run();
      }
    }
    now = end;
  }

  /** Tasks still pending (not cancelled). */
  long pending() {
    return tasks.stream().filter(t -> !t.cancelled).count();
  }
}
