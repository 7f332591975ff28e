package io.hearth.relay.http;

import java.util.HashMap;
import java.util.Map;

/**
 * Token buckets by key (a WeChat user, a hub, an address): {@code burst} at once, then
 * {@code perSecond}. Used on the relay's event loop only. Buckets full again are dropped by
 * {@link #prune}, so a flood of keys does not stay in memory.
 */
public final class RateLimiter {
  private final double perNano;
  private final int burst;
  private final Map<String, double[]> buckets = new HashMap<>(); // [tokens, lastNanos]

  public RateLimiter(double perSecond, int burst) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
  }

  /** 0 if allowed (a token is spent), else the whole seconds to wait. */
  public int tryAcquire(String key) {
    long now = System.nanoTime();
    double[] b = buckets.computeIfAbsent(key, k -> new double[] {burst, now});
    b[0] = Math.min(burst, b[0] + (now - (long) b[1]) * perNano);
    b[1] = now;
    if (b[0] >= 1) {
      b[0] -= 1;
      return 0;
    }
    return (int) Math.max(1, Math.ceil((1 - b[0]) / perNano / 1e9));
  }

  /** Forgets buckets that would be full by now. */
  public void prune() {
    long now = System.nanoTime();
    buckets.values().removeIf(b -> b[0] + (now - (long) b[1]) * perNano >= burst);
  }
}
