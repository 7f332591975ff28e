package io.hearth.adapter.mqtt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The topic filters the adapter holds on the broker, each with the number of attached devices that
 * need it: with shared subscriptions one {@code hearth/+/state} serves every hearth device
 * (docs/conventions-mqtt.md, "Subscriptions"). Not thread-safe: used on the adapter's context only.
 */
final class SubscribedFilters {

  private final Map<String, Integer> uses = new HashMap<>();

  /** Counts one more use of each filter; returns those no device used before (to subscribe). */
  List<String> acquire(List<String> filters) {
    List<String> added = new ArrayList<>();
    for (String f : filters) {
      if (uses.merge(f, 1, Integer::sum) == 1) {
        added.add(f);
      }
    }
    return added;
  }

  /** Counts one use less of each filter; returns those no device uses any more (to unsubscribe). */
  List<String> release(List<String> filters) {
    List<String> gone = new ArrayList<>();
    for (String f : filters) {
      Integer left = uses.computeIfPresent(f, (k, n) -> n == 1 ? null : n - 1);
      if (left == null) {
        gone.add(f);
      }
    }
    return gone;
  }

  /** Every filter in use, once. */
  List<String> all() {
    return new ArrayList<>(uses.keySet());
  }
}
