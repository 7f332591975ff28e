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

  private final List<String> filters;
  private final List<String[]> levels;

  private TopicAcl(List<String> filters) {
    this.filters = List.copyOf(filters);
    this.levels = this.filters.stream().map(TopicAcl::split).toList();
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
    String[] t = split(topic);
    for (String[] f : levels) {
      if (matches(f, t)) {
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

  private static boolean matches(String[] filter, String[] topic) {
    if (topic.length > 0 && topic[0].startsWith("$") && (filter[0].equals("+") || filter[0].equals("#"))) {
      return false;
    }
    for (int i = 0; i < filter.length; i++) {
      if (filter[i].equals("#")) {
        return true; // also matches the parent level: a/# matches a
      }
      if (i >= topic.length) {
        return false;
      }
      if (!filter[i].equals("+") && !filter[i].equals(topic[i])) {
        return false;
      }
    }
    return filter.length == topic.length;
  }

  private static String[] split(String s) {
    return s.split("/", -1);
  }

  @Override
  public String toString() {
    return filters.toString();
  }
}
