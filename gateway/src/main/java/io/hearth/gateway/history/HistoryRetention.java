package io.hearth.gateway.history;

import io.hearth.gateway.config.HistoryConfig;
import io.hearth.gateway.store.HistoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Retention and downsampling of history (docs/history.md#retention-and-downsampling), run on the
 * store thread by the hourly purge: raw points older than {@code history.rawRetentionDays} are
 * folded into buckets of {@code history.downsampleStepMinutes} (or dropped when that is 0), and
 * buckets older than {@code history.downsampledRetentionDays} are dropped. The raw cut-off is
 * aligned to a bucket start, so each bucket is made from its points in one go.
 */
public final class HistoryRetention {
  private final HistoryConfig config;

  public HistoryRetention(HistoryConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** The downsampling step in ms; 0 when old points are dropped rather than folded. */
  public long stepMs() {
    return Duration.ofMinutes(config.downsampleStepMinutes()).toMillis();
  }

  /** Blocking: runs on the store thread. Returns how many points and buckets went. */
  public int apply(HistoryStore history, Instant now) {
    long rawCutoff = now.minus(Duration.ofDays(config.rawRetentionDays())).toEpochMilli();
    long bucketCutoff = now.minus(Duration.ofDays(config.downsampledRetentionDays())).toEpochMilli();
    long step = stepMs();
    if (step == 0) {
      return history.purgeRaw(rawCutoff) + history.purgeBuckets(bucketCutoff);
    }
    long aligned = Math.floorDiv(rawCutoff, step) * step;
    return history.downsample(aligned, step) + history.purgeBuckets(bucketCutoff);
  }
}
