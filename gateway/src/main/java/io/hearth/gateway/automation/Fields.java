package io.hearth.gateway.automation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.gateway.domain.FieldError;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the fields of a rule and collects one {@link FieldError} per problem, named by its path
 * ({@code triggers[0].for}). Each reader returns null after recording an error.
 */
final class Fields {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern UNITS = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
  private static final Pattern CLOCK = Pattern.compile("(\\d{1,2}):(\\d{2})(?::(\\d{2}))?");
  /** The longest duration a rule may name (a delay, a {@code for}, a timeout). */
  static final Duration MAX_DURATION = Duration.ofDays(7);

  final List<FieldError> errors = new ArrayList<>();

  void error(String path, String message) {
    errors.add(new FieldError(path, message));
  }

  String text(JsonNode n, String field, String path, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        error(path + field, "is required");
      }
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      error(path + field, "must be a non-empty string");
      return null;
    }
    return v.asText().trim();
  }

  Double number(JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      error(path + field, "must be a number");
      return null;
    }
    return v.asDouble();
  }

  boolean bool(JsonNode n, String field, String path, boolean fallback) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      error(path + field, "must be true or false");
      return fallback;
    }
    return v.asBoolean();
  }

  /** A JSON value (or a list of values) to compare a property with, as plain Java. */
  Object value(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : JSON.convertValue(v, Object.class);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> object(JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      error(path + field, "must be an object");
      return null;
    }
    return JSON.convertValue(v, Map.class);
  }

  /**
   * A duration: seconds as a number, {@code "HH:MM:SS"}, {@code "90s"}/{@code "5m"}/{@code "1h30m"}/
   * {@code "500ms"}, or Home Assistant's {@code {hours, minutes, seconds, milliseconds}}; a leading
   * {@code -} only where {@code signed}.
   */
  Duration duration(JsonNode n, String field, String path, boolean signed) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    Duration d = parseDuration(v);
    if (d == null || (!signed && d.isNegative()) || d.abs().compareTo(MAX_DURATION) > 0) {
      error(path + field, "must be a duration such as 300 (seconds), \"00:05:00\", \"5m\" or {\"minutes\": 5}"
          + (signed ? " (may start with -)" : "") + ", at most 7 days");
      return null;
    }
    return d;
  }

  private static Duration parseDuration(JsonNode v) {
    if (v.isNumber()) {
      return Duration.ofMillis(Math.round(v.asDouble() * 1000));
    }
    if (v.isObject()) {
      long ms = 0;
      for (var e : Map.of("days", 86_400_000L, "hours", 3_600_000L, "minutes", 60_000L, "seconds", 1_000L,
          "milliseconds", 1L).entrySet()) {
        JsonNode part = v.get(e.getKey());
        if (part != null) {
          if (!part.isNumber()) {
            return null;
          }
          ms += Math.round(part.asDouble() * e.getValue());
        }
      }
      return v.size() == 0 ? null : Duration.ofMillis(ms);
    }
    if (!v.isTextual()) {
      return null;
    }
    String s = v.asText().trim().toLowerCase(Locale.ROOT);
    boolean negative = s.startsWith("-");
    s = negative || s.startsWith("+") ? s.substring(1) : s;
    Duration d = null;
    Matcher clock = CLOCK.matcher(s);
    if (clock.matches()) {
      d = Duration.ofHours(Long.parseLong(clock.group(1))).plusMinutes(Long.parseLong(clock.group(2)))
          .plusSeconds(clock.group(3) == null ? 0 : Long.parseLong(clock.group(3)));
    } else if (!s.isEmpty()) {
      Matcher m = UNITS.matcher(s);
      int end = 0;
      double ms = 0;
      while (m.find() && m.start() == end) {
        double x = Double.parseDouble(m.group(1));
        ms += x * switch (m.group(2)) {
          case "ms" -> 1;
          case "s" -> 1_000;
          case "m" -> 60_000;
          case "h" -> 3_600_000;
          default -> 86_400_000;
        };
        end = m.end();
      }
      d = end == s.length() ? Duration.ofMillis(Math.round(ms)) : null;
    }
    return d == null ? null : negative ? d.negated() : d;
  }

  /** A time of day, {@code "HH:MM"} or {@code "HH:MM:SS"}. */
  LocalTime time(JsonNode n, String field, String path, boolean required) {
    String s = text(n, field, path, required);
    if (s == null) {
      return null;
    }
    try {
      return LocalTime.parse(s.length() == 4 || s.length() == 7 ? "0" + s : s);
    } catch (DateTimeParseException e) {
      error(path + field, "must be a time of day such as \"07:30\" or \"22:15:00\", not '" + s + "'");
      return null;
    }
  }

  /** {@code weekdays} (or Home Assistant's {@code weekday}): {@code mon}…{@code sun}, one or a list; empty: every day. */
  Set<DayOfWeek> weekdays(JsonNode n, String path) {
    String field = n.has("weekdays") ? "weekdays" : "weekday";
    JsonNode v = n.get(field);
    Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
    if (v == null || v.isNull()) {
      return out;
    }
    List<JsonNode> items = new ArrayList<>();
    if (v.isArray()) {
      v.forEach(items::add);
    } else {
      items.add(v);
    }
    for (JsonNode day : items) {
      DayOfWeek d = day.isTextual() ? day(day.asText()) : null;
      if (d == null) {
        error(path + field, "must be mon, tue, wed, thu, fri, sat or sun (one or a list), not " + day);
        return out;
      }
      out.add(d);
    }
    return out;
  }

  private static DayOfWeek day(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    for (DayOfWeek d : DayOfWeek.values()) {
      if (t.length() >= 3 && d.name().toLowerCase(Locale.ROOT).startsWith(t)) {
        return d;
      }
    }
    return null;
  }

  /** {@code timeZone}: an IANA zone such as {@code Europe/Berlin}; the fallback when absent. */
  ZoneId zone(JsonNode n, String path, ZoneId fallback) {
    String s = text(n, "timeZone", path, false);
    if (s == null) {
      return fallback;
    }
    try {
      return ZoneId.of(s);
    } catch (java.time.DateTimeException e) {
      error(path + "timeZone", "must be a time zone such as \"Europe/Berlin\", not '" + s + "'");
      return fallback;
    }
  }

  /** The items of an array field; records an error and returns an empty list when it is not one. */
  List<JsonNode> array(JsonNode n, String field, String path, boolean nonEmpty) {
    JsonNode v = n.get(field);
    List<JsonNode> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      if (nonEmpty) {
        error(path + field, "is required (a list of at least one)");
      }
      return out;
    }
    if (!v.isArray() || (nonEmpty && v.isEmpty())) {
      error(path + field, nonEmpty ? "must be a list of at least one" : "must be a list");
      return out;
    }
    v.forEach(out::add);
    return out;
  }
}
