package io.hearth.gateway.store;

import java.util.List;
import java.util.Optional;

/**
 * Reading history back, and its retention: raw points ({@link StateStore#appendHistory}) and the
 * downsampled buckets older points are folded into (docs/history.md). Blocking, one caller at a
 * time, like every store.
 */
public interface HistoryStore {

  /**
   * Rows of one property with {@code fromMs ≤ ts < toMs}, raw and downsampled together, by time,
   * at most {@code limit} (≥ 1) of them.
   *
   * @param stepMs the downsampling step the buckets were made with (to find them by their index)
   */
  List<HistoryRow> rows(String deviceId, String property, long fromMs, long toMs, int limit, long stepMs);

  /** Like {@link #rows} without a limit, each row handed to {@code sink} as it is read (constant memory). */
  void scan(String deviceId, String property, long fromMs, long toMs, long stepMs,
      java.util.function.Consumer<HistoryRow> sink);

  /** The last row before {@code beforeMs}: the state a range starts in. */
  Optional<HistoryRow> lastBefore(String deviceId, String property, long beforeMs);

  /**
   * Folds raw points older than {@code beforeMs} into buckets of {@code stepMs} (min, max, sum,
   * count, last; merged into a bucket already there) and deletes them; returns how many points.
   */
  int downsample(long beforeMs, long stepMs);

  /** Deletes raw points older than {@code beforeMs} without keeping buckets; returns how many. */
  int purgeRaw(long beforeMs);

  /** Deletes buckets that start before {@code beforeMs}; returns how many. */
  int purgeBuckets(long beforeMs);
}
