package io.hearth.bench;

import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Runs an operation at a fixed rate, one at a time, and records each latency from its
 * <em>intended</em> start: when an answer comes late, the sends behind it start late, and their
 * wait counts too (no coordinated omission).
 */
final class Paced {
  /** One blocking operation (a round trip). */
  interface Op {
    void run(int i) throws Exception;
  }

  private Paced() {}

  static Histogram run(int count, int ratePerSecond, Op op) throws Exception {
    Histogram h = Latency.histogram();
    long interval = 1_000_000_000L / ratePerSecond;
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long intended = start + i * interval;
      long wait;
      while ((wait = intended - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait); // pacing to the schedule, not waiting for an event
      }
      op.run(i);
      Latency.record(h, System.nanoTime() - intended);
    }
    return h;
  }

  /**
   * Runs {@code count} operations back to back, one at a time (a closed loop: each starts when the
   * previous answered), and records each one's own duration: the sequential round trip.
   */
  static Histogram sequential(int count, Op op) throws Exception {
    Histogram h = Latency.histogram();
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      op.run(i);
      Latency.record(h, System.nanoTime() - start);
    }
    return h;
  }

  /**
   * Runs operations back to back (JIT warm-up) until at least {@code count} ran and {@code
   * seconds} passed; returns how many ran. A time budget, not only a count: the gateway's path
   * runs far more code per operation than the raw one (HTTP, tokens, validation, JSON), and the
   * JIT compiles a method after thousands of calls, so a fixed count leaves it half warm.
   */
  static int warmUp(int count, double seconds, Op op) throws Exception {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    int i = 0;
    while (i < count || System.nanoTime() < end) {
      op.run(i++);
    }
    return i;
  }
}
