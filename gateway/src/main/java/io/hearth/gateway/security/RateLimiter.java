package io.hearth.gateway.security;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Token buckets by key (a remote address, a session): each key may spend {@code burst} at once and
 * earns {@code perSecond} back per second. At most {@code maxKeys} buckets are kept (the least
 * recently used goes first), so memory stays bounded whatever the keys. Thread-safe.
 */
public final class RateLimiter {
  private final double perSecond;
  private final double burst;
  private final int maxKeys;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets;

  /**
   * @param perSecond tokens earned back per second
   * @param burst     bucket size
   * @param maxKeys   buckets kept at most
   * @param nanoTime  the clock ({@code System::nanoTime})
   */
  public RateLimiter(double perSecond, int burst, int maxKeys, LongSupplier nanoTime) {
    if (perSecond <= 0 || burst < 1 || maxKeys < 1) {
      throw new IllegalArgumentException("perSecond, burst and maxKeys must be positive");
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.maxKeys = maxKeys;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
        return size() > RateLimiter.this.maxKeys;
      }
    };
  }

  /**
   * Takes one token for {@code key}.
   *
   * @return 0 when allowed; else the whole seconds (≥ 1) until a token is back, for {@code Retry-After}
   */
  public synchronized long acquire(String key) {
    Objects.requireNonNull(key, "key");
    long now = nanoTime.getAsLong();
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
    double tokens = Math.min(burst, b.tokens + (now - b.stamp) / 1e9 * perSecond);
    b.stamp = now;
    if (tokens >= 1) {
      b.tokens = tokens - 1;
      return 0;
    }
    b.tokens = tokens;
    return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
  }

  private static final class Bucket {
    double tokens;
    long stamp;

    Bucket(double tokens, long stamp) {
      this.tokens = tokens;
      this.stamp = stamp;
    }
  }
}
