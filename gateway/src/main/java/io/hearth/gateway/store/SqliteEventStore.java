package io.hearth.gateway.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The {@link EventStore} of {@link SqliteStore}: table {@code events} (schema migration 2). Writes
 * are not synced on their own ({@code synchronous=NORMAL}). Not thread-safe, like the store.
 */
final class SqliteEventStore implements EventStore {
  private final SqliteDb db;

  SqliteEventStore(SqliteDb db) {
    this.db = db;
  }

  @Override
  public void append(Collection<StoredEvent> events) {
    Objects.requireNonNull(events, "events");
    if (events.isEmpty()) {
      return;
    }
    db.transaction(false, "appendEvents", () -> {
      PreparedStatement ps = db.ps("INSERT OR IGNORE INTO events(seq, kind, device_id, ts, data) VALUES(?, ?, ?, ?, ?)");
      for (StoredEvent e : events) {
        ps.setLong(1, e.seq());
        ps.setString(2, e.kind());
        ps.setString(3, e.deviceId());
        ps.setLong(4, e.ts().toEpochMilli());
        ps.setString(5, e.dataJson());
        ps.addBatch();
      }
      ps.executeBatch();
    });
  }

  @Override
  public List<StoredEvent> after(long seq, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be ≥ 1: " + limit);
    }
    List<StoredEvent> out = new ArrayList<>();
    try {
      PreparedStatement ps = db.ps("SELECT seq, kind, device_id, ts, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?");
      ps.setLong(1, seq);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new StoredEvent(rs.getLong(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
              rs.getString(5)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw db.failed("eventsAfter", e);
    }
  }

  @Override
  public OptionalLong oldestSeq() {
    return edge(true);
  }

  @Override
  public OptionalLong latestSeq() {
    return edge(false);
  }

  private OptionalLong edge(boolean oldest) {
    try (ResultSet rs = db.ps(oldest ? "SELECT MIN(seq) FROM events" : "SELECT MAX(seq) FROM events").executeQuery()) {
      if (rs.next()) {
        long v = rs.getLong(1);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
      }
      return OptionalLong.empty();
    } catch (SQLException e) {
      throw db.failed("eventSeq", e);
    }
  }

  @Override
  public long purge(Instant before, int keepLatest) {
    Objects.requireNonNull(before, "before");
    if (keepLatest < 0) {
      throw new IllegalArgumentException("keepLatest must be ≥ 0: " + keepLatest);
    }
    long[] cutoff = new long[1];
    db.transaction(false, "purgeEvents", () -> {
      PreparedStatement byAge = db.ps("SELECT MAX(seq) FROM events WHERE ts < ?");
      byAge.setLong(1, before.toEpochMilli());
      try (ResultSet rs = byAge.executeQuery()) {
        cutoff[0] = rs.next() ? rs.getLong(1) : 0; // NULL reads as 0
      }
      PreparedStatement byCount = db.ps("SELECT seq FROM events ORDER BY seq DESC LIMIT 1 OFFSET ?");
      byCount.setInt(1, keepLatest);
      try (ResultSet rs = byCount.executeQuery()) {
        if (rs.next()) {
          cutoff[0] = Math.max(cutoff[0], rs.getLong(1));
        }
      }
      if (cutoff[0] <= 0) {
        return;
      }
      // the watermark first, in the same transaction: a replay never runs across deleted events unnoticed
      PreparedStatement meta = db.ps("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE"
          + " SET value = CASE WHEN CAST(value AS INTEGER) < CAST(excluded.value AS INTEGER) THEN excluded.value"
          + " ELSE value END");
      meta.setString(1, META_HELD_AFTER);
      meta.setString(2, Long.toString(cutoff[0]));
      meta.executeUpdate();
      PreparedStatement delete = db.ps("DELETE FROM events WHERE seq <= ?");
      delete.setLong(1, cutoff[0]);
      delete.executeUpdate();
    });
    return cutoff[0];
  }
}
