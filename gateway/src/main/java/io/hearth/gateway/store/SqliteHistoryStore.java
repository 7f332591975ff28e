package io.hearth.gateway.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@link HistoryStore} of {@link SqliteStore}: tables {@code history} (raw points) and
 * {@code history_rollup} (downsampled buckets, one row per device, property and bucket start).
 * Not thread-safe, like the store.
 */
final class SqliteHistoryStore implements HistoryStore {
  private static final String RAW = "SELECT ts, value AS vmin, value AS vmax, value AS vsum, 1 AS n, value AS vlast,"
      + " label FROM history WHERE device_id = ?1 AND property = ?2";
  private static final String BUCKETS = "SELECT ts, vmin, vmax, vsum, n, vlast, label FROM history_rollup"
      + " WHERE device_id = ?1 AND property = ?2";

  private final SqliteDb db;

  SqliteHistoryStore(SqliteDb db) {
    this.db = db;
  }

  @Override
  public List<HistoryRow> rows(String deviceId, String property, long fromMs, long toMs, int limit, long stepMs) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be ≥ 1: " + limit);
    }
    List<HistoryRow> out = new ArrayList<>();
    range(deviceId, property, fromMs, toMs, limit, stepMs, out::add);
    return out;
  }

  @Override
  public void scan(String deviceId, String property, long fromMs, long toMs, long stepMs, Consumer<HistoryRow> sink) {
    range(deviceId, property, fromMs, toMs, -1, stepMs, Objects.requireNonNull(sink, "sink"));
  }

  /** {@code limit} -1: all (SQLite's LIMIT -1). */
  private void range(String deviceId, String property, long fromMs, long toMs, int limit, long stepMs,
      Consumer<HistoryRow> sink) {
    try {
      // a bucket's ts (its last point) lies within [bucket, bucket + step): the index finds it by bucket
      PreparedStatement ps = db.ps(RAW + " AND ts >= ?3 AND ts < ?4 UNION ALL " + BUCKETS
          + " AND bucket > ?3 - ?6 AND bucket < ?4 AND ts >= ?3 AND ts < ?4 ORDER BY 1 LIMIT ?5");
      bind(ps, deviceId, property);
      ps.setLong(3, fromMs);
      ps.setLong(4, toMs);
      ps.setInt(5, limit);
      ps.setLong(6, Math.max(1, stepMs));
      read(ps, sink);
    } catch (SQLException e) {
      throw db.failed("historyRows", e);
    }
  }

  @Override
  public Optional<HistoryRow> lastBefore(String deviceId, String property, long beforeMs) {
    try {
      PreparedStatement ps = db.ps("SELECT * FROM (" + RAW + " AND ts < ?3 ORDER BY ts DESC LIMIT 1)"
          + " UNION ALL SELECT * FROM (" + BUCKETS + " AND bucket < ?3 AND ts < ?3 ORDER BY bucket DESC LIMIT 1)"
          + " ORDER BY 1 DESC LIMIT 1");
      bind(ps, deviceId, property);
      ps.setLong(3, beforeMs);
      List<HistoryRow> out = new ArrayList<>(1);
      read(ps, out::add);
      return out.stream().findFirst();
    } catch (SQLException e) {
      throw db.failed("historyLastBefore", e);
    }
  }

  /** One transaction: the buckets are written and the points deleted together. */
  @Override
  public int downsample(long beforeMs, long stepMs) {
    if (stepMs < 1) {
      throw new IllegalArgumentException("stepMs must be ≥ 1: " + stepMs);
    }
    int[] deleted = {0};
    db.transaction(false, "downsampleHistory", () -> {
      PreparedStatement fold = db.ps("INSERT INTO history_rollup(device_id, property, bucket, ts, vmin, vmax, vsum,"
          + " n, vlast, label)"
          + " SELECT device_id, property, b, max(ts), min(value), max(value), total(value), count(*),"
          + "  max(CASE WHEN rn = 1 THEN value END), max(CASE WHEN rn = 1 THEN label END)"
          + " FROM (SELECT device_id, property, ts, value, label, (ts / ?2) * ?2 AS b,"
          + "  row_number() OVER (PARTITION BY device_id, property, (ts / ?2) * ?2 ORDER BY ts DESC) AS rn"
          + "  FROM history WHERE ts < ?1)"
          + " WHERE true GROUP BY device_id, property, b"
          + " ON CONFLICT(device_id, property, bucket) DO UPDATE SET"
          + " vlast = CASE WHEN excluded.ts >= history_rollup.ts THEN excluded.vlast ELSE history_rollup.vlast END,"
          + " label = CASE WHEN excluded.ts >= history_rollup.ts THEN excluded.label ELSE history_rollup.label END,"
          + " ts = max(history_rollup.ts, excluded.ts), vmin = min(history_rollup.vmin, excluded.vmin),"
          + " vmax = max(history_rollup.vmax, excluded.vmax), vsum = history_rollup.vsum + excluded.vsum,"
          + " n = history_rollup.n + excluded.n");
      fold.setLong(1, beforeMs);
      fold.setLong(2, stepMs);
      fold.executeUpdate();
      PreparedStatement delete = db.ps("DELETE FROM history WHERE ts < ?");
      delete.setLong(1, beforeMs);
      deleted[0] = delete.executeUpdate();
    });
    return deleted[0];
  }

  @Override
  public int purgeRaw(long beforeMs) {
    return db.purge("DELETE FROM history WHERE ts < ?", Instant.ofEpochMilli(beforeMs), "purgeHistory");
  }

  @Override
  public int purgeBuckets(long beforeMs) {
    return db.purge("DELETE FROM history_rollup WHERE bucket < ?", Instant.ofEpochMilli(beforeMs),
        "purgeHistoryBuckets");
  }

  private static void bind(PreparedStatement ps, String deviceId, String property) throws SQLException {
    ps.setString(1, Objects.requireNonNull(deviceId, "deviceId"));
    ps.setString(2, Objects.requireNonNull(property, "property"));
  }

  private static void read(PreparedStatement ps, Consumer<HistoryRow> sink) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        sink.accept(new HistoryRow(rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getLong(5),
            rs.getDouble(6), rs.getString(7)));
      }
    }
  }
}
