package io.hearth.gateway.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteOpenMode;

/**
 * Creating the database file, opening a connection on it with the store's pragmas
 * (docs/storage.md), small SQL helpers.
 */
final class SqliteFiles {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteFiles.class);
  private static final int BUSY_TIMEOUT_MS = 5_000;
  /** The WAL is truncated back to this size after a checkpoint (it grows during a big purge). */
  private static final long WAL_SIZE_LIMIT = 64L * 1024 * 1024;

  private SqliteFiles() {}

  /**
   * A connection in WAL mode with {@code synchronous=NORMAL}: a commit is written to the operating
   * system, and synced by {@link WalSync} (docs/storage.md#durability). Closed again if a pragma fails.
   *
   * @param create whether a missing file may be created (not when reopening: a file that vanished
   *               is not replaced by an empty one)
   */
  static Connection connect(Path file, boolean create) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    if (!create) {
      config.resetOpenMode(SQLiteOpenMode.CREATE);
    }
    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
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
      return connection;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** A new database file (and its directory) readable by its owner only: it holds device credentials. */
  static void createPrivateFile(Path file) throws IOException {
    Files.createDirectories(file.getParent());
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

  /** Rows changed by this connection since it opened. */
  static long totalChanges(Connection c) throws SQLException {
    return c.unwrap(SQLiteConnection.class).getDatabase().total_changes();
  }

  static boolean isClosed(Connection c) {
    try {
      return c == null || c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  static void exec(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
