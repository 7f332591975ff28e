package io.hearth.gateway.history;

import java.util.Objects;

/**
 * One history request, checked (docs/history.md): a property of a known kind, the range
 * {@code [fromMs, toMs)}, raw points ({@code stepMs} 0) or buckets of {@code stepMs} summarised by
 * {@code agg}, a page of at most {@code limit} points or buckets from {@code cursor} on.
 */
public record HistoryQuery(String deviceId, String property, Kind kind, long fromMs, long toMs, long stepMs, Agg agg,
    int limit, Cursor cursor) {

  /** How a property's values are recorded and summarised. */
  public enum Kind {
    /** {@code int}: points read back as integers. */
    INTEGER,
    /** {@code float}. */
    NUMBER,
    /** {@code bool}: 0/1, summarised as time in state. */
    BOOLEAN,
    /** {@code enum}: labels, summarised as time in state. */
    ENUM;

    boolean numeric() {
      return this == INTEGER || this == NUMBER;
    }
  }

  /** How a bucket summarises its points. */
  public enum Agg {
    /** {@code min}, {@code max}, {@code avg}, {@code last}, {@code count} (numbers). */
    STATS,
    /** {@code delta}: how much a counter grew in the bucket (numbers, e.g. {@code energy_kwh}). */
    DELTA,
    /** {@code timeInState}: milliseconds per value (booleans, enums). */
    STATE;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Where a page starts: for raw points the time of the previous page's last point and how many
   * points at that time it held; for buckets the next bucket's start ({@code skip} 0).
   */
  public record Cursor(long ms, int skip) {
    /** The wire form, opaque to clients. */
    public String wire() {
      return Long.toString(ms, 36) + "." + skip;
    }

    /** Parses {@link #wire()}; null if malformed. */
    public static Cursor parse(String s) {
      int dot = s.indexOf('.');
      if (dot < 1 || s.length() > 40) {
        return null;
      }
      try {
        Cursor c = new Cursor(Long.parseLong(s.substring(0, dot), 36), Integer.parseInt(s.substring(dot + 1)));
        return c.skip < 0 ? null : c;
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  public HistoryQuery {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(kind, "kind");
    if (stepMs > 0) {
      Objects.requireNonNull(agg, "agg");
    }
  }

  public boolean buckets() {
    return stepMs > 0;
  }

  /** Where this page starts. */
  public long startMs() {
    return cursor == null ? fromMs : cursor.ms();
  }
}
