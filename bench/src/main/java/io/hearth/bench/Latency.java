package io.hearth.bench;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * A latency distribution's summary in microseconds, taken from an HdrHistogram that recorded
 * nanoseconds.
 *
 * @param count samples
 * @param p50   median, µs
 * @param p90   90th percentile, µs
 * @param p99   99th percentile, µs
 * @param max   largest sample, µs
 * @param mean  mean, µs
 */
public record Latency(long count, double p50, double p90, double p99, double max, double mean) {

  /** A histogram for 1 µs .. 60 s in nanoseconds, 3 significant digits. */
  public static Histogram histogram() {
    return new Histogram(1_000L, 60_000_000_000L, 3);
  }

  /** Records {@code nanos} (clamped into the histogram's range). */
  public static void record(Histogram h, long nanos) {
    h.recordValue(Math.max(1_000L, Math.min(nanos, 60_000_000_000L)));
  }

  public static Latency of(Histogram h) {
    Objects.requireNonNull(h, "h");
    return new Latency(h.getTotalCount(), us(h.getValueAtPercentile(50)), us(h.getValueAtPercentile(90)),
        us(h.getValueAtPercentile(99)), us(h.getMaxValue()), Math.round(h.getMean() / 100.0) / 10.0);
  }

  private static double us(long nanos) {
    return Math.round(nanos / 100.0) / 10.0;
  }

  public JsonObject toJson() {
    return new JsonObject().put("count", count).put("p50Us", p50).put("p90Us", p90).put("p99Us", p99)
        .put("maxUs", max).put("meanUs", mean);
  }
}
