package io.hearth.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SQLite file under {@link SqliteStore}: WAL mode, permissions, schema versions, damaged files,
 * open and close.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteStoreTest extends SqliteTestBase {
  @Test
  void walModeIsOnAndSchemaVersionRecorded() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store.file());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      assertTrue(rs.next());
      assertEquals("wal", rs.getString(1));
    }
    assertTrue(Files.exists(store.file().resolveSibling("hearth.db-wal")));
    assertEquals(Optional.of(Integer.toString(Schema.latest())), store.meta().get("schema_version"));
    assertThrows(IllegalArgumentException.class, () -> store.meta().put("schema_version", "0"));
  }

  @Test
  void databaseFilesAreOwnerOnly() throws Exception {
    // the file holds device credentials
    store.meta().put("k", "v");
    Set<PosixFilePermission> ownerOnly = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertEquals(ownerOnly, Files.getPosixFilePermissions(store.file()));
    assertEquals(ownerOnly, Files.getPosixFilePermissions(store.file().resolveSibling("hearth.db-wal")));
  }

  @Test
  void corruptFileFailsWithClearMessage() throws Exception {
    // GIVEN a file that is not an SQLite database
    store.close();
    Path other = dir.resolve("corrupt");
    Files.createDirectories(other);
    Files.write(other.resolve(SqliteStore.FILE_NAME), "not a database at all, really ".repeat(200)
        .getBytes(StandardCharsets.UTF_8));
    // WHEN opened THEN one line naming the file
    StoreException e = assertThrows(StoreException.class, () -> new SqliteStore(other).open());
    assertTrue(e.getMessage().contains(other.resolve(SqliteStore.FILE_NAME).toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not an SQLite database"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void dataDirThatIsAFileFailsWithClearMessage() throws Exception {
    Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
    StoreException e = assertThrows(StoreException.class, () -> new SqliteStore(notADir).open());
    String expected = "cannot open store " + notADir.resolve(SqliteStore.FILE_NAME);
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void newerSchemaIsRefused() throws Exception {
    store.close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store.file());
        Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
    }
    StoreException e = assertThrows(StoreException.class, () -> new SqliteStore(dir).open());
    assertTrue(e.getMessage().contains("schema version 99 is newer"), e.getMessage());
    assertTrue(e.getMessage().contains(store.file().toString()), e.getMessage());
  }

  @Test
  void callsBeforeOpenOrAfterCloseAreRefused() {
    store.close();
    store.close(); // idempotent
    StoreUnavailableException closed = assertThrows(StoreUnavailableException.class, () -> store.devices().load());
    assertEquals(StoreUnavailableException.Reason.CLOSED, closed.reason());
    IllegalStateException twice = assertThrows(IllegalStateException.class, () -> {
      SqliteStore s = new SqliteStore(dir.resolve("twice"));
      try {
        s.open();
        s.open();
      } finally {
        s.close();
      }
    });
    assertTrue(twice.getMessage().contains("already open"));
  }
}
