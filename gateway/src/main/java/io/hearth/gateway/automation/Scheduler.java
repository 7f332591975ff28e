package io.hearth.gateway.automation;

import java.time.Duration;
import java.time.Instant;

/**
 * Time for the automations: what time it is and "run this later". Time triggers, {@code for}
 * durations, delays and wait timeouts all run on it, so tests drive it by hand and never sleep;
 * the gateway uses {@link VertxScheduler} (Vert.x timers on the core context). Tasks run on the
 * engine's thread (the core context), one at a time.
 */
public interface Scheduler {

  /** The current instant. */
  Instant now();

  /** Runs {@code task} once after {@code delay} (zero or negative: as soon as possible). */
  Timer schedule(Duration delay, Runnable task);

  /** A scheduled task. */
  interface Timer {
    /** Cancels it; nothing if it already ran. */
    void cancel();
  }
}
