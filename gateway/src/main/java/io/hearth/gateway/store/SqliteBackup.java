package io.hearth.gateway.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteOpenMode;

/**
 * Copies and reads a Hearth database file from its own connection, beside a running gateway or
 * without one (docs/backup.md). The database runs in WAL mode, so this connection's read
 * transaction never blocks the gateway's writer, and the writer never blocks it.
 */
public final class SqliteBackup {
  /** The backup copies every page in one step: one read transaction, one consistent snapshot. */
  private static final int ALL_PAGES = -1;
  private static final int BUSY_SLEEP_MS = 100;
  private static final int BUSY_RETRIES = 50;

  private SqliteBackup() {}

  /** What a database holds, as far as a restore's dry run reports it. */
  public record Summary(int schemaVersion, Map<String, String> devices, Map<String, String> users, long historyPoints,
      long commands, long events) {
    /** A data dir without a database. */
    public static final Summary EMPTY = new Summary(0, Map.of(), Map.of(), 0, 0, 0);
  }

  /** The schema version this gateway creates and understands. */
  public static int latestSchema() {
    return Schema.latest();
  }

  /**
   * Copies {@code db} to {@code dest} (which must not exist) with SQLite's online backup API, in one
   * step, so the copy is the database as of one instant even while the gateway writes. The copy is
   * checked ({@code PRAGMA quick_check}) and switched to a rollback journal: one self-contained file.
   * Returns its schema version.
   */
  public static int copy(Path db, Path dest) throws SQLException {
    if (!Files.isRegularFile(db)) {
      throw new SQLException("no database at " + db);
    }
    try (Connection c = open(db)) {
      c.unwrap(SQLiteConnection.class).getDatabase()
          .backup("main", dest.toString(), null, BUSY_SLEEP_MS, BUSY_RETRIES, ALL_PAGES);
    }
    try (Connection c = open(dest); Statement st = c.createStatement()) {
      st.execute("PRAGMA journal_mode = DELETE");
      // quick_check: every page and b-tree checked in linear time; integrity_check would also match
      // each index against its table, several times slower on a large history
      try (ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
        String result = rs.next() ? rs.getString(1) : "no answer";
        if (!"ok".equals(result)) {
          throw new SQLException("the copy fails SQLite's quick_check: " + result);
        }
      }
      return Schema.currentVersion(c);
    }
  }

  /** The schema version of an existing database file. */
  public static int schemaVersion(Path db) throws SQLException {
    try (Connection c = open(db)) {
      return hasTable(c, "meta") ? Schema.currentVersion(c) : 0;
    }
  }

  /**
   * Devices (id → definition JSON), users (id → "name (role)") and the number of history points,
   * commands and events of {@code db}; {@link Summary#EMPTY} when there is no such file.
   */
  public static Summary summary(Path db) throws SQLException {
    if (!Files.isRegularFile(db)) {
      return Summary.EMPTY;
    }
    try (Connection c = open(db)) {
      int version = hasTable(c, "meta") ? Schema.currentVersion(c) : 0;
      return new Summary(version,
          map(c, "devices", "SELECT id, definition FROM devices"),
          map(c, "users", "SELECT id, name || ' (' || role || ')' FROM users"),
          count(c, "history"), count(c, "commands"), count(c, "events"));
    }
  }

  /** A connection to an existing file (never creates one), with the gateway's busy timeout. */
  private static Connection open(Path db) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.resetOpenMode(SQLiteOpenMode.CREATE);
    config.setBusyTimeout(5_000);
    return DriverManager.getConnection("jdbc:sqlite:" + db, config.toProperties());
  }

  private static boolean hasTable(Connection c, String table) throws SQLException {
    try (var ps = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static Map<String, String> map(Connection c, String table, String sql) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    if (!hasTable(c, table)) {
      return out;
    }
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  private static long count(Connection c, String table) throws SQLException {
    if (!hasTable(c, table)) {
      return 0;
    }
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }
}
