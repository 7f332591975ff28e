package io.hearth.gateway.config;

import java.util.Map;

/**
 * {@code history.*}: how history is written and kept (docs/history.md, docs/configuration.md).
 *
 * @param writeIntervalMs          at most one point of a number per property per this interval (0: every change)
 * @param deadbands                per property name, the smallest change of a number worth a point
 * @param rawRetentionDays         raw points are kept this long, then downsampled (or dropped)
 * @param downsampleStepMinutes    the buckets old points are folded into (0: no buckets, dropped)
 * @param downsampledRetentionDays buckets are kept this long
 * @param maxPageSize              the largest {@code limit} of a history request (points or buckets)
 */
public record HistoryConfig(int writeIntervalMs, Map<String, Double> deadbands, int rawRetentionDays,
    int downsampleStepMinutes, int downsampledRetentionDays, int maxPageSize) {

  public static final HistoryConfig DEFAULTS = new HistoryConfig(60_000,
      Map.of("temperature", 0.1, "humidity", 1.0), 7, 5, 365, 10_000);

  public HistoryConfig {
    deadbands = Map.copyOf(deadbands);
  }
}
