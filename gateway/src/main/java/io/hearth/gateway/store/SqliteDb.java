package io.hearth.gateway.store;

import io.hearth.gateway.store.StoreUnavailableException.Reason;
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
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteOpenMode;

/**
 * The one SQLite connection that {@link SqliteStore}'s stores share: opening with the pragmas, the
 * prepared statement cache, transactions (optionally durable), one-line error messages, and
 * recovery from a full disk or a failing file system (docs/storage.md, "When the disk is full"):
 *
 * <ul>
 *   <li>sqlite-jdbc finalizes a prepared statement whose step failed, and the cached statement then
 *       answers "statement is not executing" forever: every failure drops the cache (statements are
 *       prepared again on their next use).
 *   <li>SQLite rolls a transaction back itself after {@code SQLITE_FULL}; the rollback that follows
 *       tolerates that, so the connection always returns to auto-commit with no transaction open.
 *   <li>After an I/O error, or when ending a failed transaction fails, the connection is closed and
 *       opened again (same pragmas, without creating a missing file) before the next call.
 *   <li>{@link #health()} turns degraded on such failures and up again after the next write that
 *       reached the disk.
 * </ul>
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
  private final StoreHealthTracker health;
  private Connection connection;
  /** Between {@link #open()} and {@link #close()}. */
  private boolean open;
  /** The connection failed: open it afresh before the next call. */
  private boolean reopen;
  /** Inside {@link #transaction}: never reopen in the middle of one. */
  private boolean inTransaction;

  SqliteDb(Path file) {
    this(file, Clock.systemUTC());
  }

  SqliteDb(Path file, Clock clock) {
    this.file = file;
    this.health = new StoreHealthTracker(clock);
  }

  /** Opens the file in WAL mode and migrates the schema; returns the schema version found. */
  int open() {
    if (open) {
      throw new IllegalStateException("store already open: " + file);
    }
    try {
      Files.createDirectories(file.getParent());
      createPrivateFile();
      int found = connect(true);
      open = true;
      health.opened();
      return found;
    } catch (SQLException | IOException | RuntimeException e) {
      closeConnection();
      throw new StoreException("cannot open store " + file + ": " + SqliteErrors.describe(e), e);
    }
  }

  boolean isOpen() {
    return open;
  }

  /** Thread-safe: readable from any thread while the store thread works. */
  StoreHealth health() {
    return health.get();
  }

  /** A cached prepared statement; the first one of a call reopens a failed connection first. */
  PreparedStatement ps(String sql) throws SQLException {
    Connection c = inTransaction ? connection : connection();
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = c.prepareStatement(sql);
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
    Objects.requireNonNull(before, "before");
    try {
      PreparedStatement ps = ps(sql);
      ps.setLong(1, before.toEpochMilli());
      int deleted = ps.executeUpdate();
      if (deleted > 0) {
        health.wrote();
      }
      return deleted;
    } catch (SQLException e) {
      throw failed(op, e);
    }
  }

  /**
   * Runs {@code work} in one transaction. {@code durable} commits with {@code synchronous=FULL}:
   * the WAL, and with it every earlier commit, is synced to the disk before this returns.
   *
   * @throws StoreUnavailableException if the disk or file system failed (nothing was written)
   */
  void transaction(boolean durable, String op, SqlWork work) {
    Connection c = connection();
    boolean done = false;
    inTransaction = true;
    try {
      long changesBefore = totalChanges(c);
      if (durable) {
        pragma(c, "synchronous = FULL"); // only allowed outside a transaction
      }
      c.setAutoCommit(false);
      work.run();
      c.commit();
      c.setAutoCommit(true);
      if (durable) {
        pragma(c, "synchronous = NORMAL");
      }
      done = true;
      if (totalChanges(c) != changesBefore) {
        health.wrote(); // a commit with changes wrote to the WAL
      }
    } catch (SQLException e) {
      throw failed(op, e);
    } finally {
      inTransaction = false;
      if (!done) {
        abort(c, durable);
      }
    }
  }

  /**
   * Converts a failure, after making sure the next call can work: drops the statement cache, marks
   * the connection for reopening after an I/O error, and records the health. Call it for every
   * {@link SQLException} of a store call.
   */
  StoreException failed(String op, SQLException e) {
    dropStatements();
    String message = "store " + op + " failed [file: " + file + "]: " + SqliteErrors.describe(e);
    Reason reason = SqliteErrors.unavailable(e);
    if (reason == null) {
      return new StoreException(message, e);
    }
    if (SqliteErrors.connectionSuspect(e)) {
      reopen = true;
    }
    StoreUnavailableException unavailable = new StoreUnavailableException(reason, message, e);
    health.failed(unavailable);
    return unavailable;
  }

  /** Closes statements and the connection; SQLite checkpoints the WAL on the way. Idempotent. */
  void close() {
    closeConnection();
    reopen = false;
    if (open) {
      open = false;
      health.closed();
    }
  }

  /** Runs a pragma on the current connection (tests use it to cap the database size). */
  /** Rebuilds the file without free pages (VACUUM); the statement cache is dropped first. */
  void vacuum() throws SQLException {
    dropStatements();
    try (Statement st = connection().createStatement()) {
      st.execute("VACUUM");
    }
  }

  void pragma(String pragma) throws SQLException {
    pragma(connection(), pragma);
  }

  /** The connection as it is, for tests that break it under the store. */
  Connection rawConnection() {
    return connection;
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

  /** The connection for a new call: opened again first if the last call left it failed. */
  private Connection connection() {
    if (!open) {
      throw new StoreUnavailableException(Reason.CLOSED, "store not open [file: " + file + "]");
    }
    if (reopen || isClosed(connection)) {
      reopen();
    }
    return connection;
  }

  private void reopen() {
    closeConnection();
    try {
      connect(false); // a file that vanished is not replaced by an empty one
      reopen = false;
      health.reopened();
      LOG.info("store connection reopened [file: {}]", file);
    } catch (SQLException | RuntimeException e) {
      closeConnection();
      reopen = true;
      StoreUnavailableException down = new StoreUnavailableException(Reason.IO_ERROR,
          "store cannot reopen its file [file: " + file + "]: " + SqliteErrors.describe(e), e);
      health.lost(down);
      throw down;
    }
  }

  private int connect(boolean create) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    if (!create) {
      config.resetOpenMode(SQLiteOpenMode.CREATE);
    }
    connection = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
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
  }

  /**
   * Ends a failed transaction: rolls back and returns to auto-commit. If that fails for another
   * reason than "no transaction" (SQLite already rolled back, as after {@code SQLITE_FULL}), the
   * connection's state is unknown: it is reopened before the next call.
   */
  private void abort(Connection c, boolean durable) {
    try {
      if (!c.getAutoCommit()) {
        try {
          c.rollback();
        } catch (SQLException e) {
          rethrowUnlessNoTransaction(e);
        }
        try {
          c.setAutoCommit(true); // sets the flag, then commits the transaction rollback() began
        } catch (SQLException e) {
          rethrowUnlessNoTransaction(e);
        }
      }
      if (durable) {
        pragma(c, "synchronous = NORMAL");
      }
    } catch (SQLException e) {
      reopen = true;
      LOG.warn("store connection left in an unknown state, reopening it [file: {}, reason: {}]", file,
          SqliteErrors.describe(e));
    }
  }

  private static void rethrowUnlessNoTransaction(SQLException e) throws SQLException {
    if (!SqliteErrors.is(e, SQLiteErrorCode.SQLITE_ERROR)) {
      throw e;
    }
  }

  private static long totalChanges(Connection c) throws SQLException {
    return c.unwrap(SQLiteConnection.class).getDatabase().total_changes();
  }

  private static boolean isClosed(Connection c) {
    try {
      return c == null || c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  private static void pragma(Connection c, String pragma) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA " + pragma);
    }
  }

  private void dropStatements() {
    statements.values().forEach(ps -> {
      try {
        ps.close();
      } catch (SQLException e) {
        LOG.debug("statement close failed [reason: {}]", e.getMessage());
      }
    });
    statements.clear();
  }

  private void closeConnection() {
    dropStatements();
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.warn("store close failed [file: {}, reason: {}]", file, e.getMessage());
      }
      connection = null;
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
}
