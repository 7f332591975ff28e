package io.hearth.gateway.store;

import static io.hearth.gateway.store.SqliteDb.IF_DEVICE;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StateStore} of {@link SqliteStore}: tables {@code device_state} and {@code history}.
 * Writes are not synced on their own ({@code synchronous=NORMAL}) and skip devices that are not in
 * the registry. Not thread-safe, like the store.
 */
final class SqliteStateStore implements StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteStateStore.class);

  private final SqliteDb db;
  private final StoreJson json;

  SqliteStateStore(SqliteDb db, StoreJson json) {
    this.db = db;
    this.json = json;
  }

  @Override
  public Map<String, DeviceStateSnapshot> load() {
    Map<String, DeviceStateSnapshot> out = new LinkedHashMap<>();
    String sql = "SELECT device_id, state, pending, updated_at, version, online, reason, last_seen FROM device_state";
    try (ResultSet rs = db.ps(sql).executeQuery()) {
      while (rs.next()) {
        String id = rs.getString(1);
        try {
          int online = rs.getInt(6);
          Boolean onlineValue = rs.wasNull() ? null : online != 0;
          out.put(id, new DeviceStateSnapshot(id, json.values(rs.getString(2)), json.values(rs.getString(3)),
              json.instants(rs.getString(4)), rs.getLong(5), onlineValue, rs.getString(7), SqliteDb.instant(rs, 8)));
        } catch (RuntimeException e) {
          LOG.error("unreadable state row skipped [device: {}, reason: {}]", id, e.getMessage());
        }
      }
      return out;
    } catch (SQLException e) {
      throw db.failed("loadStates", e);
    }
  }

  /** Also skips a snapshot older (lower version) than the one stored. */
  @Override
  public void save(Collection<DeviceStateSnapshot> snapshots) {
    Objects.requireNonNull(snapshots, "snapshots");
    if (snapshots.isEmpty()) {
      return;
    }
    db.transaction(false, "saveStates", () -> {
      PreparedStatement ps = db.ps("INSERT INTO device_state(device_id, state, pending, updated_at, version, online,"
          + " reason, last_seen) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8" + IF_DEVICE
          + " ON CONFLICT(device_id) DO UPDATE SET state = excluded.state, pending = excluded.pending,"
          + " updated_at = excluded.updated_at, version = excluded.version, online = excluded.online,"
          + " reason = excluded.reason, last_seen = excluded.last_seen"
          + " WHERE excluded.version >= device_state.version");
      for (DeviceStateSnapshot s : snapshots) {
        ps.setString(1, s.deviceId());
        ps.setString(2, json.values(s.state()));
        ps.setString(3, json.values(s.pending()));
        ps.setString(4, json.instants(s.updatedAt()));
        ps.setLong(5, s.version());
        if (s.online() == null) {
          ps.setNull(6, Types.INTEGER);
        } else {
          ps.setInt(6, s.online() ? 1 : 0);
        }
        ps.setString(7, s.availabilityReason());
        SqliteDb.setInstant(ps, 8, s.lastSeen());
        ps.addBatch();
      }
      ps.executeBatch();
    });
  }

  /** Skips points of unknown devices and non-finite values; timestamps are kept to the millisecond. */
  @Override
  public void appendHistory(Collection<HistoryPoint> points) {
    Objects.requireNonNull(points, "points");
    if (points.isEmpty()) {
      return;
    }
    db.transaction(false, "appendHistory", () -> {
      PreparedStatement ps = db.ps("INSERT INTO history(device_id, property, ts, value, label)"
          + " SELECT ?1, ?2, ?3, ?4, ?5" + IF_DEVICE);
      for (HistoryPoint p : points) {
        if (!Double.isFinite(p.value())) {
          LOG.debug("non-finite history point skipped [device: {}, property: {}]", p.deviceId(), p.property());
          continue;
        }
        ps.setString(1, p.deviceId());
        ps.setString(2, p.property());
        ps.setLong(3, p.ts().toEpochMilli());
        ps.setDouble(4, p.value());
        ps.setString(5, p.label());
        ps.addBatch();
      }
      ps.executeBatch();
    });
  }

  /** At most {@code limit} (≥ 1) points from {@code from} on; page on from the last one's time. */
  @Override
  public List<HistoryPoint> history(String deviceId, String property, Instant from, Instant to, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be ≥ 1: " + limit);
    }
    List<HistoryPoint> out = new ArrayList<>();
    try {
      PreparedStatement ps = db.ps("SELECT ts, value FROM history WHERE device_id = ? AND property = ?"
          + " AND ts >= ? AND ts <= ? ORDER BY ts LIMIT ?");
      ps.setString(1, Objects.requireNonNull(deviceId, "deviceId"));
      ps.setString(2, Objects.requireNonNull(property, "property"));
      ps.setLong(3, from.toEpochMilli());
      ps.setLong(4, to.toEpochMilli());
      ps.setInt(5, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new HistoryPoint(deviceId, property, Instant.ofEpochMilli(rs.getLong(1)), rs.getDouble(2)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw db.failed("history", e);
    }
  }

  /**
   * One statement (a table scan; about 1 s per 500,000 deleted points on a desktop SSD): run it
   * often (hourly) so each run stays short, as it holds the store thread.
   */
  @Override
  public int purgeHistory(Instant before) {
    int deleted = db.purge("DELETE FROM history WHERE ts < ?", before, "purgeHistory");
    LOG.debug("history purged [before: {}, points: {}]", before, deleted);
    return deleted;
  }
}
