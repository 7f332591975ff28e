package io.hearth.gateway.broker;

import io.hearth.adapter.mqtt.TopicPermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The topic filters one connection may publish to, matched as MQTT matches a topic against a
 * subscription ({@code +} one level, {@code #} this level and below, a leading wildcard never
 * matches a {@code $} topic). The broker checks PUBLISH against it itself: HiveMQ disconnects a
 * client for a publish its default permissions deny (docs/broker.md).
 */
final class TopicAcl {

  /** Separates the filters in the connection attribute: NUL cannot occur in an MQTT topic. */
  private static final char SEPARATOR = '\0';

  /**
   * The filters as given, matched level by level in place: there is one ACL per connection (10,000
   * with 10,000 devices), so no split copy of every level is kept.
   */
  private final List<String> filters;

  private TopicAcl(List<String> filters) {
    this.filters = List.copyOf(filters);
  }

  static TopicAcl of(List<String> filters) {
    return new TopicAcl(filters);
  }

  List<String> filters() {
    return filters;
  }

  /** True if the ACL allows every topic (the gateway's own client). */
  boolean allowsEverything() {
    return filters.contains("#");
  }

  boolean allows(String topic) {
    for (String f : filters) {
      if (matches(f, topic)) {
        return true;
      }
    }
    return false;
  }

  /** The filters as one string, for HiveMQ's per-connection attribute store. */
  String encode() {
    return String.join(String.valueOf(SEPARATOR), filters);
  }

  static TopicAcl decode(String encoded) {
    return new TopicAcl(encoded.isEmpty() ? List.of() : List.of(encoded.split(String.valueOf(SEPARATOR), -1)));
  }

  /**
   * The permissions with {@link TopicPermissions#CLIENT_ID} replaced by {@code clientId}; filters
   * using it are left out when the id is not a plain topic level.
   */
  static TopicPermissions forClient(TopicPermissions permissions, String clientId) {
    Optional<String> id = plainLevel(clientId) ? Optional.of(clientId) : Optional.empty();
    return new TopicPermissions(substitute(permissions.publish(), id), substitute(permissions.subscribe(), id));
  }

  private static List<String> substitute(List<String> filters, Optional<String> clientId) {
    List<String> out = new ArrayList<>(filters.size());
    for (String f : filters) {
      if (!f.contains(TopicPermissions.CLIENT_ID)) {
        out.add(f);
      } else {
        clientId.ifPresent(id -> out.add(f.replace(TopicPermissions.CLIENT_ID, id)));
      }
    }
    return out;
  }

  private static boolean plainLevel(String s) {
    return s != null && !s.isEmpty() && !s.startsWith("$")
        && s.chars().noneMatch(c -> c == '/' || c == '+' || c == '#' || c == 0);
  }

  /** MQTT matching of one topic name against one filter, level by level, without splitting either. */
  static boolean matches(String filter, String topic) {
    if (topic.startsWith("$") && levelEnd(filter, 0) == 1 && (filter.charAt(0) == '+' || filter.charAt(0) == '#')) {
      return false;
    }
    int f = 0; // start of the current filter level
    int t = 0; // start of the current topic level; -1 once the topic has no level left
    while (true) {
      int fEnd = levelEnd(filter, f);
      if (fEnd - f == 1 && filter.charAt(f) == '#') {
        return true; // also matches the parent level: a/# matches a
      }
      if (t < 0) {
        return false;
      }
      int tEnd = levelEnd(topic, t);
      boolean single = fEnd - f == 1 && filter.charAt(f) == '+';
      if (!single && (fEnd - f != tEnd - t || !filter.regionMatches(f, topic, t, fEnd - f))) {
        return false;
      }
      boolean filterDone = fEnd == filter.length();
      boolean topicDone = tEnd == topic.length();
      if (filterDone) {
        return topicDone;
      }
      f = fEnd + 1;
      t = topicDone ? -1 : tEnd + 1;
    }
  }

  private static int levelEnd(String s, int from) {
    int slash = s.indexOf('/', from);
    return slash < 0 ? s.length() : slash;
  }

  @Override
  public String toString() {
    return filters.toString();
  }
}
