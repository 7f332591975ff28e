package io.hearth.gateway.store;

import java.time.Instant;

/**
 * One recorded value of a property: numbers as they are, booleans as 0/1, an enum's value as its
 * {@code label} (value 0). Strings other than enum values are not recorded.
 */
public record HistoryPoint(String deviceId, String property, Instant ts, double value, String label) {

  /** A number or a boolean (0/1). */
  public HistoryPoint(String deviceId, String property, Instant ts, double value) {
    this(deviceId, property, ts, value, null);
  }

  /** An enum's value. */
  public static HistoryPoint label(String deviceId, String property, Instant ts, String label) {
    return new HistoryPoint(deviceId, property, ts, 0, java.util.Objects.requireNonNull(label, "label"));
  }
}
