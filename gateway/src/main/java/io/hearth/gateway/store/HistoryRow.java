package io.hearth.gateway.store;

/**
 * One row of a property's history as read back: a raw point ({@code count} 1, min = max = sum =
 * last = its value) or a downsampled bucket (docs/history.md#retention-and-downsampling), whose
 * {@code ts} is the time of the last point it summarises. {@code label} is an enum's (last) value.
 */
public record HistoryRow(long ts, double min, double max, double sum, long count, double last, String label) {

  /** A raw point. */
  public static HistoryRow point(long ts, double value, String label) {
    return new HistoryRow(ts, value, value, value, 1, value, label);
  }

  public boolean downsampled() {
    return count != 1 || min != max;
  }
}
