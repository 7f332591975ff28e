package io.hearth.gateway.bench;

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

  /** Runs {@code count} operations back to back (JIT warm-up). */
  static void warmUp(int count, Op op) throws Exception {
    for (int i = 0; i < count; i++) {
      op.run(i);
    }
  }
}
