package io.hearth.gateway.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The one SQLite connection that {@link SqliteStore}'s stores share: opening with the pragmas, the
 * prepared statement cache, transactions (optionally durable) and one-line error messages.
 */
final class SqliteDb {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteDb.class);
  private static final int BUSY_TIMEOUT_MS = 5_000;
  /** The WAL is truncated back to this size after a checkpoint (it grows during a big purge). */
  private static final long WAL_SIZE_LIMIT = 64L * 1024 * 1024;
  /**
   * Ends an {@code INSERT ... SELECT} whose {@code ?1} is a device id: the row is written only if
   * the device is in the registry, so a late write cannot resurrect a deleted device.
   */
  static final String IF_DEVICE = " WHERE EXISTS (SELECT 1 FROM devices WHERE id = ?1)";

  /** Work inside a transaction. */
  @FunctionalInterface
  interface SqlWork {
    void run() throws SQLException;
  }

  private final Path file;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private Connection connection;

  SqliteDb(Path file) {
    this.file = file;
  }

  /** Opens the file in WAL mode and migrates the schema; returns the schema version found. */
  int open() {
    if (connection != null) {
      throw new IllegalStateException("store already open: " + file);
    }
    try {
      Files.createDirectories(file.getParent());
      createPrivateFile();
      connection = DriverManager.getConnection("jdbc:sqlite:" + file);
      try (Statement st = connection.createStatement()) {
        st.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
        st.execute("PRAGMA foreign_keys = ON");
        try (ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) { // first read of the file
          String mode = rs.next() ? rs.getString(1) : "?";
          if (!"wal".equalsIgnoreCase(mode)) {
            throw new StoreException("cannot switch to WAL journal mode (got " + mode + ")");
          }
        }
        st.execute("PRAGMA synchronous = NORMAL");
        st.execute("PRAGMA journal_size_limit = " + WAL_SIZE_LIMIT);
      }
      return Schema.migrate(connection);
    } catch (SQLException | IOException | RuntimeException e) {
      close();
      throw new StoreException("cannot open store " + file + ": " + describe(e), e);
    }
  }

  boolean isOpen() {
    return connection != null;
  }

  PreparedStatement ps(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection().prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  /** Runs a one-parameter update. */
  int update(String sql, String param) throws SQLException {
    PreparedStatement ps = ps(sql);
    ps.setString(1, param);
    return ps.executeUpdate();
  }

  /** Runs a one-statement delete of rows older than {@code before} (its one parameter); returns how many. */
  int purge(String sql, Instant before, String op) {
    try {
      PreparedStatement ps = ps(sql);
      ps.setLong(1, Objects.requireNonNull(before, "before").toEpochMilli());
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw failed(op, e);
    }
  }

  /**
   * Runs {@code work} in one transaction. {@code durable} commits with {@code synchronous=FULL}:
   * the WAL, and with it every earlier commit, is synced to the disk before this returns.
   */
  void transaction(boolean durable, String op, SqlWork work) {
    Connection c = connection();
    try {
      if (durable) {
        pragma("synchronous = FULL"); // only allowed outside a transaction
      }
      try {
        c.setAutoCommit(false);
        try {
          work.run();
          c.commit();
        } catch (SQLException | RuntimeException e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
      } finally {
        if (durable) {
          pragma("synchronous = NORMAL");
        }
      }
    } catch (SQLException e) {
      throw failed(op, e);
    }
  }

  StoreException failed(String op, SQLException e) {
    return new StoreException("store " + op + " failed [file: " + file + "]: " + describe(e), e);
  }

  /** Closes statements and the connection; SQLite checkpoints the WAL on the way. Idempotent. */
  void close() {
    statements.values().forEach(ps -> {
      try {
        ps.close();
      } catch (SQLException e) {
        LOG.debug("statement close failed [reason: {}]", e.getMessage());
      }
    });
    statements.clear();
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.warn("store close failed [file: {}, reason: {}]", file, e.getMessage());
      }
      connection = null;
    }
  }

  static void setInstant(PreparedStatement ps, int index, Instant ts) throws SQLException {
    if (ts == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setLong(index, ts.toEpochMilli());
    }
  }

  static Instant instant(ResultSet rs, int index) throws SQLException {
    long millis = rs.getLong(index);
    return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  private Connection connection() {
    if (connection == null) {
      throw new IllegalStateException("store not open: " + file);
    }
    return connection;
  }

  private void pragma(String pragma) throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute("PRAGMA " + pragma);
    }
  }

  /** A new database file readable by its owner only: it holds device credentials. */
  private void createPrivateFile() throws IOException {
    if (Files.exists(file)) {
      if (!Files.isRegularFile(file) || !Files.isReadable(file) || !Files.isWritable(file)) {
        throw new IOException("not a regular file readable and writable by this user");
      }
      return;
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      LOG.debug("no POSIX permissions on this file system [file: {}]", file);
    } catch (FileAlreadyExistsException e) {
      // created meanwhile: fine
    }
  }

  private static String describe(Throwable e) {
    if (e instanceof SQLiteException sqlite) {
      SQLiteErrorCode code = sqlite.getResultCode();
      if (code == SQLiteErrorCode.SQLITE_NOTADB) {
        return "not an SQLite database (corrupt or foreign file); move it aside to start empty, or restore a backup";
      }
      if (code == SQLiteErrorCode.SQLITE_CORRUPT) {
        return "the database file is corrupt; move it aside to start empty, or restore a backup";
      }
      if (code != null && code.name().startsWith("SQLITE_CANTOPEN")) {
        return "cannot open the file (check the path and permissions)";
      }
      if (code == SQLiteErrorCode.SQLITE_FULL) {
        return "the disk is full";
      }
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
