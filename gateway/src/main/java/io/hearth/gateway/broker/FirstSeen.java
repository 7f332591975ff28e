package io.hearth.gateway.broker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the last {@code capacity} keys it was shown, so a log line can be written once per
 * client and topic with bounded memory: a key pushed out by newer ones counts as new again.
 * Thread-safe (HiveMQ calls interceptors on several threads).
 */
final class FirstSeen {

  private final Map<String, Boolean> seen;

  FirstSeen(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.seen = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > capacity;
      }
    };
  }

  /** True the first time {@code parts} are shown (or again once they have been forgotten). */
  synchronized boolean first(String... parts) {
    return seen.put(String.join("\0", parts), Boolean.TRUE) == null;
  }

  synchronized int size() {
    return seen.size();
  }
}
