package io.hearth.gateway.store;

import io.hearth.gateway.store.StoreUnavailableException.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;

/**
 * The one SQLite connection that {@link SqliteStore}'s stores share: opening with the pragmas, the
 * prepared statement cache, transactions and group commits with their syncs ({@link WalSync};
 * docs/storage.md#durability), one-line error messages, and recovery from a full disk or a failing
 * file system (docs/storage.md, "When the disk is full"):
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
  private final WalSync wal;
  private Connection connection;
  /** Between {@link #open()} and {@link #close()}. */
  private boolean open;
  /** The connection failed: open it afresh before the next call. */
  private boolean reopen;
  /** Inside {@link #transaction} or {@link #group}: never reopen in the middle of one. */
  private boolean inTransaction;
  /** Inside {@link #group}: a transaction is a savepoint of the group's. */
  private boolean inGroup;
  /** A call of the current group wrote something that must be synced before it completes. */
  private boolean groupMustSync;

  SqliteDb(Path file) {
    this(file, Clock.systemUTC(), Durability.Level.NORMAL, WalSync.FDATASYNC);
  }

  SqliteDb(Path file, Clock clock, Durability.Level level, WalSync.Syncer syncer) {
    this.file = file;
    this.health = new StoreHealthTracker(clock);
    this.wal = new WalSync(file, level, syncer, health);
  }

  /** Opens the file in WAL mode and migrates the schema; returns the schema version found. */
  int open() {
    if (open) {
      throw new IllegalStateException("store already open: " + file);
    }
    try {
      SqliteFiles.createPrivateFile(file);
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

  /** Thread-safe. */
  CommitStats stats() {
    return wal.stats();
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
      if (!inGroup) { // in a group, the group's commit counts it
        committed(deleted > 0, false, op);
      }
      return deleted;
    } catch (SQLException e) {
      throw failed(op, e);
    }
  }

  /**
   * Runs {@code work} in one transaction; inside a {@link #group}, in a savepoint of the group's
   * transaction. {@code durable}: a write that must survive a power cut; its call completes only
   * after a sync of the log, which covers every earlier commit too. At level {@code full} every
   * write is synced before its call completes.
   *
   * @throws StoreUnavailableException if the disk or file system failed (nothing was written)
   */
  void transaction(boolean durable, String op, SqlWork work) {
    if (inGroup) {
      savepoint(durable, op, work);
      return;
    }
    Connection c = connection();
    boolean done = false;
    inTransaction = true;
    try {
      long changesBefore = SqliteFiles.totalChanges(c);
      c.setAutoCommit(false);
      work.run();
      c.commit();
      c.setAutoCommit(true);
      done = true;
      committed(SqliteFiles.totalChanges(c) != changesBefore, durable, op);
    } catch (SQLException e) {
      throw failed(op, e);
    } finally {
      inTransaction = false;
      if (!done) {
        abort(c);
      }
    }
  }

  /**
   * Group commit: runs {@code calls} in order in one transaction, commits it once and syncs once if
   * a call needs it (docs/storage.md#durability). Each call runs in a savepoint: one that throws
   * keeps none of its writes (it records its own failure) and the others go on. A failure of the
   * disk or file system, in a call or at the commit, keeps none of the group's writes and is thrown.
   *
   * @return whether the group left writes not yet synced (for the periodic sync)
   */
  boolean group(List<? extends Runnable> calls) {
    Connection c = connection();
    boolean done = false;
    inTransaction = true;
    inGroup = true;
    groupMustSync = false;
    try {
      long changesBefore = SqliteFiles.totalChanges(c);
      c.setAutoCommit(false);
      for (Runnable call : calls) {
        SqliteFiles.exec(c, "SAVEPOINT call");
        try {
          call.run();
        } catch (StoreUnavailableException e) {
          throw e;
        } catch (RuntimeException | Error e) {
          SqliteFiles.exec(c, "ROLLBACK TO call"); // this call's writes only; it recorded its failure
        }
        SqliteFiles.exec(c, "RELEASE call");
      }
      c.commit();
      c.setAutoCommit(true);
      done = true;
      wal.stats().grouped(calls.size());
      return committed(SqliteFiles.totalChanges(c) != changesBefore, groupMustSync, "groupCommit");
    } catch (SQLException e) {
      throw failed("groupCommit", e);
    } finally {
      inTransaction = false;
      inGroup = false;
      if (!done) {
        abort(c);
      }
    }
  }

  /** Syncs the log if a commit is not yet synced (thread-safe: the periodic sync); whether it synced. */
  boolean syncCommitted() {
    return wal.syncNow();
  }

  private void savepoint(boolean durable, String op, SqlWork work) {
    Connection c = connection;
    try {
      SqliteFiles.exec(c, "SAVEPOINT tx");
      work.run();
      SqliteFiles.exec(c, "RELEASE tx");
      groupMustSync |= durable;
    } catch (SQLException e) {
      StoreException failure = failed(op, e);
      if (!(failure instanceof StoreUnavailableException)) { // else the whole group is rolled back
        try {
          SqliteFiles.exec(c, "ROLLBACK TO tx");
          SqliteFiles.exec(c, "RELEASE tx");
        } catch (SQLException again) {
          throw failed(op, again);
        }
      }
      throw failure;
    }
  }

  /** After a commit outside a savepoint: whether its write is left for the periodic sync ({@link WalSync}). */
  private boolean committed(boolean wrote, boolean mustSync, String op) {
    if (!wrote) {
      return false;
    }
    health.wrote(); // a commit with changes wrote to the WAL
    return wal.committed(mustSync, op);
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

  /** Rebuilds the file without free pages (VACUUM); the statement cache is dropped first. Not in a group. */
  void vacuum() throws SQLException {
    if (inGroup) {
      throw new IllegalStateException("VACUUM cannot run inside a transaction");
    }
    dropStatements();
    try (Statement st = connection().createStatement()) {
      st.execute("VACUUM");
    }
  }

  /** Runs a pragma on the current connection (tests use it to cap the database size). */
  void pragma(String pragma) throws SQLException {
    SqliteFiles.exec(connection(), "PRAGMA " + pragma);
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
    if (reopen || SqliteFiles.isClosed(connection)) {
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
    connection = SqliteFiles.connect(file, create);
    return Schema.migrate(connection);
  }

  /**
   * Ends a failed transaction: rolls back and returns to auto-commit. If that fails for another
   * reason than "no transaction" (SQLite already rolled back, as after {@code SQLITE_FULL}), the
   * connection's state is unknown: it is reopened before the next call.
   */
  private void abort(Connection c) {
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
}
