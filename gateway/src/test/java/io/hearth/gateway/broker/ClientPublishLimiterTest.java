package io.hearth.gateway.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-client token bucket, on a fake clock. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ClientPublishLimiterTest {

  private final AtomicLong nanos = new AtomicLong();

  @Test
  void burstUpToCapacityThenRefillsAtTheRate() {
    // GIVEN 1000 B/s and packets up to 4000 B: the bucket holds 4000 B
    ClientPublishLimiter limiter = new ClientPublishLimiter("c", 1000, 4000, nanos::get, new BrokerStats());
    assertTrue(limiter.tryAcquire(4000));
    assertFalse(limiter.tryAcquire(1));
    // WHEN half a second passes THEN 500 B are available, not more
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
    assertFalse(limiter.tryAcquire(501));
    assertTrue(limiter.tryAcquire(500));
    // AND the bucket never holds more than its capacity
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(3600));
    assertTrue(limiter.tryAcquire(4000));
    assertFalse(limiter.tryAcquire(1));
  }

  @Test
  void aClientSilentForHoursIsNotMuted() {
    // GIVEN the default 256 KiB/s and a device that has not published for 12 hours (idle
    // nanoseconds times the rate overflowed a long after ~10 h and left the bucket negative)
    ClientPublishLimiter limiter = new ClientPublishLimiter("c", 262_144, 4096, nanos::get, new BrokerStats());
    assertTrue(limiter.tryAcquire(100));
    nanos.addAndGet(TimeUnit.HOURS.toNanos(12));
    // THEN its next publish passes, and the one after it too
    assertTrue(limiter.tryAcquire(100));
    assertTrue(limiter.tryAcquire(100));
    // AND a week of silence at a high limit (the benchmark's 64 MiB/s) as well
    ClientPublishLimiter fast = new ClientPublishLimiter("c", 64L << 20, 4096, nanos::get, new BrokerStats());
    nanos.addAndGet(TimeUnit.DAYS.toNanos(7));
    assertTrue(fast.tryAcquire(4096));
  }

  @Test
  void onePacketOfMaximumSizeAlwaysFitsWhenTheBucketIsFull() {
    ClientPublishLimiter limiter = new ClientPublishLimiter("c", 10, 2048, nanos::get, new BrokerStats());
    assertTrue(limiter.tryAcquire(2048));
  }
}
