package io.hearth.gateway.store;

import static io.hearth.gateway.store.SqliteDb.IF_DEVICE;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CommandStore} of {@link SqliteStore}: tables {@code commands} and {@code idempotency}.
 * Command writes are skipped if the device is not in the registry. Command and idempotency records
 * are on the command path: synced by the group commit's periodic sync, or before the call completes
 * at {@code data.durability: full} (docs/storage.md#durability). Not thread-safe, like the store.
 */
final class SqliteCommandStore implements CommandStore {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteCommandStore.class);
  private static final String TERMINAL = "('succeeded', 'failed', 'timed_out', 'unknown', 'superseded')";

  private final SqliteDb db;

  SqliteCommandStore(SqliteDb db) {
    this.db = db;
  }

  // commands

  /** Inserts or updates (by command id); skipped if the device is not in the registry. */
  @Override
  public void save(CommandRecord command) {
    Objects.requireNonNull(command, "command");
    db.transaction(false, "saveCommand", () -> {
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
    });
  }

  @Override
  public Optional<CommandRecord> find(String commandId) {
    List<CommandRecord> found = commands("command_id = ?", Objects.requireNonNull(commandId, "commandId"));
    return found.stream().findFirst();
  }

  @Override
  public List<CommandRecord> unfinished() {
    return commands("status NOT IN " + TERMINAL + " ORDER BY created_at, command_id", null);
  }

  @Override
  public List<CommandRecord> unknownSince(Instant since) {
    return commands("status = 'unknown' AND completed_at >= ? ORDER BY created_at, command_id",
        Objects.requireNonNull(since, "since").toEpochMilli());
  }

  @Override
  public int purge(Instant before) {
    return db.purge("DELETE FROM commands WHERE status IN " + TERMINAL
        + " AND COALESCE(completed_at, created_at) < ?", before, "purgeCommands");
  }

  // idempotency

  @Override
  public Optional<IdempotencyRecord> findIdempotency(String key) {
    try {
      PreparedStatement ps = db.ps("SELECT request_hash, command_id, status, reason, detail, state, state_version,"
          + " created_at FROM idempotency WHERE key = ?");
      ps.setString(1, Objects.requireNonNull(key, "key"));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        String status = rs.getString(3);
        String reason = rs.getString(4);
        long version = rs.getLong(7);
        Long stateVersion = rs.wasNull() ? null : version;
        return Optional.of(new IdempotencyRecord(key, rs.getString(1), rs.getString(2),
            status == null ? null : CommandStatus.fromWire(status), reason == null ? null : FailureReason.valueOf(reason),
            rs.getString(5), rs.getString(6), stateVersion, SqliteDb.instant(rs, 8)));
      }
    } catch (SQLException e) {
      throw db.failed("findIdempotency", e);
    }
  }

  /** Inserts or replaces (by key); synced like the command it names (docs/storage.md#durability). */
  @Override
  public void saveIdempotency(IdempotencyRecord record) {
    Objects.requireNonNull(record, "record");
    db.transaction(false, "saveIdempotency", () -> {
      PreparedStatement ps = db.ps("INSERT OR REPLACE INTO idempotency(key, request_hash, command_id, status, reason,"
          + " detail, state, state_version, created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
      ps.setString(1, record.key());
      ps.setString(2, record.requestHash());
      ps.setString(3, record.commandId());
      ps.setString(4, record.answered() == null ? null : record.answered().wireName());
      ps.setString(5, record.reason() == null ? null : record.reason().name());
      ps.setString(6, record.detail());
      ps.setString(7, record.stateJson());
      if (record.stateVersion() == null) {
        ps.setNull(8, Types.INTEGER);
      } else {
        ps.setLong(8, record.stateVersion());
      }
      SqliteDb.setInstant(ps, 9, record.createdAt());
      ps.executeUpdate();
    });
  }

  @Override
  public int purgeIdempotency(Instant before) {
    return db.purge("DELETE FROM idempotency WHERE created_at < ?", before, "purgeIdempotency");
  }

  /** @param param the one parameter of {@code where} (a string or a number), or null */
  private List<CommandRecord> commands(String where, Object param) {
    try {
      PreparedStatement ps = db.ps("SELECT command_id, device_id, request, status, error, created_at, completed_at"
          + " FROM commands WHERE " + where);
      if (param != null) {
        ps.setObject(1, param);
      }
      List<CommandRecord> out = new ArrayList<>();
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
}
