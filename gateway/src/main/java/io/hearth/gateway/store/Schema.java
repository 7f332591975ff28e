package io.hearth.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The database schema as numbered forward migrations. Migration N (1-based position in
 * {@link #MIGRATIONS}) runs once, in one transaction with the update of {@code meta.schema_version}.
 * Never edit a released migration: append a new one.
 */
final class Schema {
  static final String VERSION_KEY = "schema_version";

  private static final List<List<String>> MIGRATIONS = List.of(
      // 1: initial schema
      List.of(
          "CREATE TABLE devices (id TEXT PRIMARY KEY, definition TEXT NOT NULL, from_config INTEGER NOT NULL)",
          "CREATE TABLE removed_config_devices (id TEXT PRIMARY KEY, removed_at INTEGER NOT NULL)",
          "CREATE TABLE device_state (device_id TEXT PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,"
              + " state TEXT NOT NULL, pending TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL,"
              + " online INTEGER, reason TEXT, last_seen INTEGER)",
          "CREATE TABLE history (device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,"
              + " property TEXT NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL)",
          "CREATE INDEX history_by_property ON history(device_id, property, ts)",
          "CREATE TABLE commands (command_id TEXT PRIMARY KEY,"
              + " device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE, request TEXT,"
              + " status TEXT NOT NULL, error TEXT, created_at INTEGER NOT NULL, completed_at INTEGER)",
          "CREATE INDEX commands_by_status ON commands(status)",
          "CREATE INDEX commands_by_device ON commands(device_id)",
          "CREATE TABLE idempotency (key TEXT PRIMARY KEY, request_hash TEXT, command_id TEXT,"
              + " http_status INTEGER NOT NULL, response TEXT, created_at INTEGER NOT NULL)",
          "CREATE INDEX idempotency_by_age ON idempotency(created_at)"),
      // 2: users, pairing/invite codes and refresh tokens (io.hearth.gateway.security)
      List.of(
          "CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, devices TEXT NOT NULL,"
              + " created_at INTEGER NOT NULL)",
          "CREATE TABLE auth_codes (code_hash TEXT PRIMARY KEY, role TEXT NOT NULL, devices TEXT NOT NULL,"
              + " created_by TEXT, created_at INTEGER NOT NULL, expires_at INTEGER, used_at INTEGER)",
          "CREATE TABLE refresh_tokens (id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL,"
              + " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, family TEXT NOT NULL,"
              + " created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, used_at INTEGER,"
              + " revoked INTEGER NOT NULL DEFAULT 0)",
          "CREATE INDEX refresh_tokens_by_family ON refresh_tokens(family)"),
      // 3: the event log the app's WebSocket replays from (no foreign key: a removed device's events stay)
      List.of(
          "CREATE TABLE events (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, device_id TEXT NOT NULL,"
              + " ts INTEGER NOT NULL, data TEXT NOT NULL)"),
      // 4: idempotency keeps the command's result (status, failure reason, detail, state then), not an
      // HTTP status and rendered body; the rows of the old form are converted, any other is dropped
      // (docs/storage.md#schema-versions)
      List.of(
          "CREATE TABLE idempotency_v4 (key TEXT PRIMARY KEY, request_hash TEXT, command_id TEXT, status TEXT,"
              + " reason TEXT, detail TEXT, state TEXT, state_version INTEGER, created_at INTEGER NOT NULL)",
          "INSERT INTO idempotency_v4(key, request_hash, command_id, status, reason, detail, state, state_version,"
              + " created_at)"
              + " SELECT key, request_hash, command_id,"
              + " CASE WHEN response IS NULL OR http_status = 0 THEN NULL WHEN http_status = 202 THEN 'pending'"
              + "  WHEN http_status = 200 THEN 'succeeded' ELSE json_extract(response, '$.commandStatus') END,"
              + " CASE WHEN response IS NULL OR http_status < 400 THEN NULL"
              + "  ELSE CASE json_extract(response, '$.code') WHEN 'DEVICE_REJECTED' THEN 'REJECTED'"
              + "  WHEN 'DEVICE_OFFLINE' THEN 'UNREACHABLE' WHEN 'COMMAND_TIMEOUT' THEN 'TIMED_OUT'"
              + "  WHEN 'UNAVAILABLE' THEN 'SHUTDOWN' WHEN 'INTERNAL' THEN 'STORE' END END,"
              + " CASE WHEN http_status >= 400 THEN json_extract(response, '$.detail') END,"
              + " CASE WHEN http_status = 200 THEN json_extract(response, '$.state') END,"
              + " CASE WHEN http_status = 200 THEN json_extract(response, '$.version') END,"
              + " created_at"
              + " FROM idempotency"
              + " WHERE response IS NULL OR http_status = 0"
              + "  OR (json_valid(response) AND (http_status IN (200, 202)"
              + "  OR (json_extract(response, '$.commandStatus') IN ('failed', 'timed_out')"
              + "  AND json_extract(response, '$.code')"
              + "  IN ('DEVICE_REJECTED', 'DEVICE_OFFLINE', 'COMMAND_TIMEOUT', 'UNAVAILABLE', 'INTERNAL'))))",
          "DROP TABLE idempotency",
          "ALTER TABLE idempotency_v4 RENAME TO idempotency",
          "CREATE INDEX idempotency_by_age ON idempotency(created_at)"),
      // 5: Zigbee2MQTT bridges registered through the API (POST /bridges); definition is JSON
      // {convention, baseTopic, credentials} (docs/storage.md#schema-versions)
      List.of(
          "CREATE TABLE bridges (id TEXT PRIMARY KEY, definition TEXT NOT NULL)"),
      // 6: automations (issue 15): rules created through the API (definition is the rule's JSON) and
      // the record of every run, of API and file rules alike (docs/automations.md, docs/storage.md)
      List.of(
          "CREATE TABLE automations (id TEXT PRIMARY KEY, definition TEXT NOT NULL, enabled INTEGER NOT NULL)",
          "CREATE TABLE automation_runs (run_id TEXT PRIMARY KEY, automation_id TEXT NOT NULL,"
              + " started_at INTEGER NOT NULL, ended_at INTEGER, status TEXT NOT NULL, trigger TEXT NOT NULL,"
              + " steps TEXT NOT NULL, error TEXT)",
          "CREATE INDEX automation_runs_by_rule ON automation_runs(automation_id, started_at)",
          "CREATE INDEX automation_runs_by_status ON automation_runs(status)"),
      // 7: history and scenes (issue 15, docs/history.md, docs/scenes.md): enum values in history, the
      // downsampled buckets old points are folded into, and the scenes
      List.of(
          "ALTER TABLE history ADD COLUMN label TEXT",
          "CREATE TABLE history_rollup (device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,"
              + " property TEXT NOT NULL, bucket INTEGER NOT NULL, ts INTEGER NOT NULL, vmin REAL NOT NULL,"
              + " vmax REAL NOT NULL, vsum REAL NOT NULL, n INTEGER NOT NULL, vlast REAL NOT NULL, label TEXT,"
              + " PRIMARY KEY (device_id, property, bucket)) WITHOUT ROWID",
          "CREATE TABLE scenes (id TEXT PRIMARY KEY, definition TEXT NOT NULL, created_at INTEGER NOT NULL,"
              + " updated_at INTEGER NOT NULL)"));

  private Schema() {}

  /** The version this code creates and understands. */
  static int latest() {
    return MIGRATIONS.size();
  }

  /**
   * Brings the schema up to {@link #latest()}; returns the version found before.
   *
   * @throws StoreException if the file was written by a newer Hearth
   */
  static int migrate(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    }
    int found = currentVersion(connection);
    if (found > latest()) {
      throw new StoreException("schema version " + found + " is newer than this gateway supports (" + latest()
          + "); run a newer Hearth or restore a backup");
    }
    migrateTo(connection, found, latest());
    return found;
  }

  /** Applies the migrations after {@code from} up to {@code to}; tests build older files with it. */
  static void migrateTo(Connection connection, int from, int to) throws SQLException {
    for (int version = from + 1; version <= to; version++) {
      apply(connection, version);
    }
  }

  static int currentVersion(Connection connection) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      ps.setString(1, VERSION_KEY);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Integer.parseInt(rs.getString(1)) : 0;
      }
    }
  }

  private static void apply(Connection connection, int version) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement st = connection.createStatement();
        PreparedStatement meta = connection.prepareStatement(
            "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
      for (String sql : MIGRATIONS.get(version - 1)) {
        st.execute(sql);
      }
      meta.setString(1, VERSION_KEY);
      meta.setString(2, Integer.toString(version));
      meta.executeUpdate();
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }
}
