package io.hearth.gateway.store;

import io.hearth.gateway.store.StoreUnavailableException.Reason;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;

/**
 * Reads SQLite's result codes for {@link SqliteDb}: one-line messages, whether a failure comes from
 * the disk rather than the data, and whether the connection may be left unusable by it.
 */
final class SqliteErrors {
  private SqliteErrors() {}

  /** SQLite's primary result code (the low byte of an extended one); 0 when the driver gave none. */
  static int primary(SQLException e) {
    return e.getErrorCode() & 0xFF;
  }

  static boolean is(SQLException e, SQLiteErrorCode code) {
    return primary(e) == code.code;
  }

  /** Why the store is unavailable after {@code e}, or {@code null} if {@code e} is not about the disk. */
  static Reason unavailable(SQLException e) {
    int code = primary(e);
    if (code == SQLiteErrorCode.SQLITE_FULL.code) {
      return Reason.DISK_FULL;
    }
    if (code == SQLiteErrorCode.SQLITE_BUSY.code || code == SQLiteErrorCode.SQLITE_LOCKED.code) {
      return Reason.LOCKED;
    }
    return connectionSuspect(e) ? Reason.IO_ERROR : null;
  }

  /**
   * Whether the connection may be unusable after {@code e} (the file failed, moved, turned
   * read-only or corrupt): it is then opened afresh before the next call.
   */
  static boolean connectionSuspect(SQLException e) {
    int code = primary(e);
    return code == SQLiteErrorCode.SQLITE_IOERR.code
        || code == SQLiteErrorCode.SQLITE_CANTOPEN.code
        || code == SQLiteErrorCode.SQLITE_READONLY.code
        || code == SQLiteErrorCode.SQLITE_CORRUPT.code
        || code == SQLiteErrorCode.SQLITE_NOTADB.code
        || code == SQLiteErrorCode.SQLITE_PROTOCOL.code
        || code == SQLiteErrorCode.SQLITE_NOLFS.code;
  }

  /** A one-line reason, with advice for a damaged file. */
  static String describe(Throwable e) {
    if (e instanceof SQLException sql) {
      int code = primary(sql);
      if (code == SQLiteErrorCode.SQLITE_NOTADB.code) {
        return "not an SQLite database (corrupt or foreign file); move it aside to start empty, or restore a backup";
      }
      if (code == SQLiteErrorCode.SQLITE_CORRUPT.code) {
        return "the database file is corrupt; move it aside to start empty, or restore a backup";
      }
      if (code == SQLiteErrorCode.SQLITE_CANTOPEN.code) {
        return "cannot open the file (check the path and permissions)";
      }
      if (code == SQLiteErrorCode.SQLITE_FULL.code) {
        return "the disk is full";
      }
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
