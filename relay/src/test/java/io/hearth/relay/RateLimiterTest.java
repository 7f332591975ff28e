package io.hearth.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.relay.http.RateLimiter;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  @Test
  void aBurstThenAWaitPerKey() {
    RateLimiter l = new RateLimiter(1.0 / 60, 2); // one a minute after a burst of two
    assertEquals(0, l.tryAcquire("a"));
    assertEquals(0, l.tryAcquire("a"));
    int wait = l.tryAcquire("a");
    assertTrue(wait > 50 && wait <= 60, "seconds to wait: " + wait);
    assertEquals(0, l.tryAcquire("b"), "another key has its own bucket");
  }
}
