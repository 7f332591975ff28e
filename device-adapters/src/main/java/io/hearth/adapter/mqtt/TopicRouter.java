package io.hearth.adapter.mqtt;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the device an inbound topic belongs to in O(1): filters are exact topics or end in a
 * single-level wildcard ({@code a/b/+}), which is all the conventions use. Not thread-safe: used
 * on the adapter's context only.
 *
 * @param <T> what a route leads to
 */
final class TopicRouter<T> {

  private final Map<String, T> exact = new HashMap<>();
  private final Map<String, T> byParent = new HashMap<>(); // "a/b/" for filter "a/b/+"

  /**
   * Adds routes for every filter to {@code target}.
   *
   * @throws IllegalArgumentException if a filter is of another shape, or already routed elsewhere
   *     (two devices on the same topics); nothing is added then
   */
  void add(List<String> filters, T target) {
    for (String f : filters) {
      T existing = lookupFilter(f);
      if (existing != null && !existing.equals(target)) {
        throw new IllegalArgumentException("topic " + f + " is already used by " + existing);
      }
    }
    for (String f : filters) {
      if (isParentWildcard(f)) {
        byParent.put(f.substring(0, f.length() - 1), target);
      } else {
        exact.put(f, target);
      }
    }
  }

  void remove(List<String> filters) {
    for (String f : filters) {
      if (isParentWildcard(f)) {
        byParent.remove(f.substring(0, f.length() - 1));
      } else {
        exact.remove(f);
      }
    }
  }

  /** The target of an inbound topic, or null. */
  T route(String topic) {
    T target = exact.get(topic);
    if (target != null) {
      return target;
    }
    int slash = topic.lastIndexOf('/');
    return slash < 0 ? null : byParent.get(topic.substring(0, slash + 1));
  }

  private T lookupFilter(String f) {
    if (isParentWildcard(f)) {
      return byParent.get(f.substring(0, f.length() - 1));
    }
    if (f.indexOf('+') >= 0 || f.indexOf('#') >= 0) {
      throw new IllegalArgumentException("unsupported topic filter " + f);
    }
    return exact.get(f);
  }

  private static boolean isParentWildcard(String f) {
    return f.endsWith("/+") && f.indexOf('+') == f.length() - 1 && f.indexOf('#') < 0;
  }
}
