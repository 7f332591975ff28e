package io.hearth.gateway.store;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Store} on one SQLite file, {@code <dataDir>/hearth.db}, through one JDBC connection.
 *
 * <p>Durability: the file is in WAL mode with {@code synchronous=NORMAL}, so a commit survives a
 * crash of the process but the last transactions (state snapshots, history, command records) may
 * be lost on a power cut; the file itself stays consistent. Writes that must not be lost — the
 * registry ({@link #upsertDevice}, {@link #deleteDevice}), idempotency records and {@link #putMeta}
 * — run with {@code synchronous=FULL}: their commit syncs the WAL (and with it every earlier
 * commit) to the disk. Don't call {@code putMeta} per event; reserve counter ranges instead.
 *
 * <p>State, history and commands of a device that is not (or no longer) in the registry are
 * skipped silently: a late write after {@link #deleteDevice} cannot resurrect it. Instants are kept
 * to the millisecond. Not thread-safe: one caller at a time (see {@link AsyncStore}).
 */
public final class SqliteStore implements Store {
  /** Name of the database file inside the data directory. */
  public static final String FILE_NAME = "hearth.db";

  private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
  private static final String TERMINAL = "('succeeded', 'failed', 'timed_out')";
  private static final String IF_DEVICE = " WHERE EXISTS (SELECT 1 FROM devices WHERE id = ?1)";

  private final Path file;
  private final StoreJson json = new StoreJson();
  private final SqliteDb db;
  private final AuthTables auth;
  private final SqliteEvents events;

  public SqliteStore(Path dataDir) {
    this.file = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().resolve(FILE_NAME);
    this.db = new SqliteDb(file);
    this.auth = new AuthTables(db);
    this.events = new SqliteEvents(db);
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /**
   * @throws StoreException with a one-line message naming the file if it cannot be opened, is not
   *                        an SQLite database, is corrupt or was written by a newer Hearth
   */
  @Override
  public void open() {
    int found = db.open();
    LOG.info("store open [file: {}, schema: {}, migratedFrom: {}]", file, Schema.latest(), found);
  }

  // registry

  @Override
  public List<StoredDevice> loadDevices() {
    List<StoredDevice> out = new ArrayList<>();
    try (ResultSet rs = db.ps("SELECT id, definition, from_config FROM devices ORDER BY rowid").executeQuery()) {
      while (rs.next()) {
        try {
          out.add(new StoredDevice(json.definition(rs.getString(2)), rs.getInt(3) != 0));
        } catch (RuntimeException e) {
          LOG.error("unreadable device row skipped [device: {}, reason: {}]", rs.getString(1), e.getMessage());
        }
      }
      return out;
    } catch (SQLException e) {
      throw db.failed("loadDevices", e);
    }
  }

  @Override
  public void upsertDevice(StoredDevice device) {
    Objects.requireNonNull(device, "device");
    String id = device.definition().id();
    db.transaction(true, "upsertDevice", () -> {
      PreparedStatement ps = db.ps("INSERT INTO devices(id, definition, from_config) VALUES(?, ?, ?)"
          + " ON CONFLICT(id) DO UPDATE SET definition = excluded.definition, from_config = excluded.from_config");
      ps.setString(1, id);
      ps.setString(2, json.definition(device.definition()));
      ps.setInt(3, device.fromConfig() ? 1 : 0);
      ps.executeUpdate();
      if (device.fromConfig()) { // imported again on purpose: no longer a removed config device
        db.update("DELETE FROM removed_config_devices WHERE id = ?", id);
      }
    });
  }

  @Override
  public void deleteDevice(String deviceId, boolean fromConfig) {
    Objects.requireNonNull(deviceId, "deviceId");
    db.transaction(true, "deleteDevice", () -> {
      db.update("DELETE FROM history WHERE device_id = ?", deviceId);
      db.update("DELETE FROM commands WHERE device_id = ?", deviceId);
      db.update("DELETE FROM device_state WHERE device_id = ?", deviceId);
      db.update("DELETE FROM devices WHERE id = ?", deviceId);
      if (fromConfig) {
        PreparedStatement ps = db.ps("INSERT OR IGNORE INTO removed_config_devices(id, removed_at) VALUES(?, ?)");
        ps.setString(1, deviceId);
        ps.setLong(2, System.currentTimeMillis());
        ps.executeUpdate();
      }
    });
  }

  @Override
  public Set<String> removedConfigDevices() {
    Set<String> out = new LinkedHashSet<>();
    try (ResultSet rs = db.ps("SELECT id FROM removed_config_devices ORDER BY id").executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    } catch (SQLException e) {
      throw db.failed("removedConfigDevices", e);
    }
  }

  // state

  @Override
  public Map<String, DeviceStateSnapshot> loadStates() {
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
  public void saveStates(Collection<DeviceStateSnapshot> snapshots) {
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
      PreparedStatement ps = db.ps("INSERT INTO history(device_id, property, ts, value)"
          + " SELECT ?1, ?2, ?3, ?4" + IF_DEVICE);
      for (HistoryPoint p : points) {
        if (!Double.isFinite(p.value())) {
          LOG.debug("non-finite history point skipped [device: {}, property: {}]", p.deviceId(), p.property());
          continue;
        }
        ps.setString(1, p.deviceId());
        ps.setString(2, p.property());
        ps.setLong(3, p.ts().toEpochMilli());
        ps.setDouble(4, p.value());
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
    int deleted = purge("DELETE FROM history WHERE ts < ?", before, "purgeHistory");
    LOG.debug("history purged [before: {}, points: {}]", before, deleted);
    return deleted;
  }

  // commands

  /** Inserts or updates (by command id); skipped if the device is not in the registry. */
  @Override
  public void saveCommand(CommandRecord command) {
    Objects.requireNonNull(command, "command");
    try {
      PreparedStatement ps = db.ps("INSERT INTO commands(device_id, command_id, request, status, error, created_at,"
          + " completed_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7" + IF_DEVICE
          + " ON CONFLICT(command_id) DO UPDATE SET request = excluded.request, status = excluded.status,"
          + " error = excluded.error, completed_at = excluded.completed_at");
      ps.setString(1, command.deviceId());
      ps.setString(2, command.commandId());
      ps.setString(3, command.requestJson());
      ps.setString(4, command.status().wireName());
      ps.setString(5, command.error());
      SqliteDb.setInstant(ps, 6, command.createdAt());
      SqliteDb.setInstant(ps, 7, command.completedAt());
      if (ps.executeUpdate() == 0) {
        LOG.debug("command of unknown device not saved [device: {}, cid: {}]", command.deviceId(), command.commandId());
      }
    } catch (SQLException e) {
      throw db.failed("saveCommand", e);
    }
  }

  @Override
  public Optional<CommandRecord> findCommand(String commandId) {
    List<CommandRecord> found = commands("command_id = ?", Objects.requireNonNull(commandId, "commandId"));
    return found.stream().findFirst();
  }

  @Override
  public List<CommandRecord> unfinishedCommands() {
    return commands("status NOT IN " + TERMINAL + " ORDER BY created_at, command_id", null);
  }

  @Override
  public int purgeCommands(Instant before) {
    return purge("DELETE FROM commands WHERE status IN " + TERMINAL + " AND COALESCE(completed_at, created_at) < ?",
        before, "purgeCommands");
  }

  // idempotency

  @Override
  public Optional<IdempotencyRecord> findIdempotency(String key) {
    try {
      PreparedStatement ps = db.ps("SELECT request_hash, command_id, http_status, response, created_at"
          + " FROM idempotency WHERE key = ?");
      ps.setString(1, Objects.requireNonNull(key, "key"));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new IdempotencyRecord(key, rs.getString(1), rs.getString(2), rs.getInt(3),
            rs.getString(4), SqliteDb.instant(rs, 5)));
      }
    } catch (SQLException e) {
      throw db.failed("findIdempotency", e);
    }
  }

  /** Inserts or replaces (by key); durable ({@code synchronous=FULL}). */
  @Override
  public void saveIdempotency(IdempotencyRecord record) {
    Objects.requireNonNull(record, "record");
    db.transaction(true, "saveIdempotency", () -> {
      PreparedStatement ps = db.ps("INSERT OR REPLACE INTO idempotency(key, request_hash, command_id, http_status,"
          + " response, created_at) VALUES(?, ?, ?, ?, ?, ?)");
      ps.setString(1, record.key());
      ps.setString(2, record.requestHash());
      ps.setString(3, record.commandId());
      ps.setInt(4, record.httpStatus());
      ps.setString(5, record.responseJson());
      SqliteDb.setInstant(ps, 6, record.createdAt());
      ps.executeUpdate();
    });
  }

  @Override
  public int purgeIdempotency(Instant before) {
    return purge("DELETE FROM idempotency WHERE created_at < ?", before, "purgeIdempotency");
  }

  // event log

  @Override
  public void appendEvents(Collection<StoredEvent> list) {
    events.append(list);
  }

  @Override
  public List<StoredEvent> eventsAfter(long seq, int limit) {
    return events.after(seq, limit);
  }

  @Override
  public OptionalLong oldestEventSeq() {
    return events.edge(true);
  }

  @Override
  public OptionalLong latestEventSeq() {
    return events.edge(false);
  }

  @Override
  public long purgeEvents(Instant before, int keepLatest) {
    return events.purge(before, keepLatest);
  }

  // meta

  // users, codes, refresh tokens (SQL in AuthTables)

  @Override
  public List<UserRecord> loadUsers() {
    return auth.loadUsers();
  }

  @Override
  public boolean addAuthCode(AuthCodeRecord code) {
    return auth.addCode(Objects.requireNonNull(code, "code"));
  }

  @Override
  public Optional<AuthCodeRecord> findAuthCode(String codeHash) {
    return auth.findCode(Objects.requireNonNull(codeHash, "codeHash"));
  }

  @Override
  public Optional<UserRecord> redeemAuthCode(String codeHash, Instant now, String userId, String name) {
    return auth.redeem(Objects.requireNonNull(codeHash, "codeHash"), Objects.requireNonNull(now, "now"),
        Objects.requireNonNull(userId, "userId"), Objects.requireNonNull(name, "name"));
  }

  @Override
  public void saveRefreshToken(RefreshTokenRecord token) {
    auth.saveRefresh(Objects.requireNonNull(token, "token"));
  }

  @Override
  public Optional<RefreshTokenRecord> findRefreshToken(String id) {
    return auth.findRefresh(Objects.requireNonNull(id, "id"));
  }

  @Override
  public boolean rotateRefreshToken(String usedId, Instant now, RefreshTokenRecord next) {
    return auth.rotate(Objects.requireNonNull(usedId, "usedId"), Objects.requireNonNull(now, "now"),
        Objects.requireNonNull(next, "next"));
  }

  @Override
  public int revokeRefreshFamily(String family) {
    return auth.revokeFamily(Objects.requireNonNull(family, "family"));
  }

  @Override
  public Set<String> revokedRefreshFamilies() {
    return auth.revokedFamilies();
  }

  @Override
  public int purgeAuth(Instant now) {
    return auth.purge(Objects.requireNonNull(now, "now"));
  }

  @Override
  public Optional<String> meta(String key) {
    try {
      PreparedStatement ps = db.ps("SELECT value FROM meta WHERE key = ?");
      ps.setString(1, Objects.requireNonNull(key, "key"));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw db.failed("meta", e);
    }
  }

  /** Durable ({@code synchronous=FULL}). The key {@code schema_version} is the store's own. */
  @Override
  public void putMeta(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (Schema.VERSION_KEY.equals(key)) {
      throw new IllegalArgumentException("reserved meta key: " + key);
    }
    db.transaction(true, "putMeta", () -> {
      PreparedStatement ps = db.ps("INSERT INTO meta(key, value) VALUES(?, ?)"
          + " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
      ps.setString(1, key);
      ps.setString(2, value);
      ps.executeUpdate();
    });
  }

  /** Closes the connection; SQLite checkpoints the WAL into the main file on the way. Idempotent. */
  @Override
  public void close() {
    if (db.isOpen()) {
      db.close();
      LOG.info("store closed [file: {}]", file);
    }
  }

  // helpers

  private List<CommandRecord> commands(String where, String param) {
    List<CommandRecord> out = new ArrayList<>();
    try {
      PreparedStatement ps = db.ps("SELECT command_id, device_id, request, status, error, created_at, completed_at"
          + " FROM commands WHERE " + where);
      if (param != null) {
        ps.setString(1, param);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new CommandRecord(rs.getString(1), rs.getString(2), rs.getString(3),
              CommandStatus.fromWire(rs.getString(4)), rs.getString(5), SqliteDb.instant(rs, 6),
              SqliteDb.instant(rs, 7)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw db.failed("commands", e);
    }
  }

  private int purge(String sql, Instant before, String op) {
    try {
      PreparedStatement ps = db.ps(sql);
      ps.setLong(1, Objects.requireNonNull(before, "before").toEpochMilli());
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw db.failed(op, e);
    }
  }
}
