package io.hearth.adapter.mqtt;

/** Checks on topic parts that come from configuration (topic stems, action names). */
final class Topics {
  private Topics() {}

  /**
   * A topic stem ({@code binding.topic}): non-empty, no wildcards, no leading {@code $}, no empty
   * levels.
   */
  static String checkStem(String stem) {
    if (stem == null || stem.isEmpty() || stem.startsWith("$") || stem.startsWith("/") || stem.endsWith("/")
        || stem.contains("//") || hasWildcardOrNul(stem)) {
      throw new IllegalArgumentException("invalid MQTT topic stem '" + stem + "'");
    }
    return stem;
  }

  /** One topic level (an action name): non-empty, no {@code /}, no wildcards. */
  static String checkLevel(String level, String what) {
    if (level == null || level.isEmpty() || level.indexOf('/') >= 0 || hasWildcardOrNul(level)) {
      throw new IllegalArgumentException("invalid " + what + " '" + level + "'");
    }
    return level;
  }

  private static boolean hasWildcardOrNul(String s) {
    return s.indexOf('+') >= 0 || s.indexOf('#') >= 0 || s.indexOf('\0') >= 0;
  }
}
