package io.hearth.gateway.store;

import static io.hearth.gateway.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.TestTransports;
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
  void idempotencyRowsOfTheOldFormAreConvertedToResults() throws Exception {
    // GIVEN a file at schema version 3, whose idempotency rows hold an HTTP status and the rendered body
    Path old = dir.resolve("v3");
    Files.createDirectories(old);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + old.resolve(SqliteStore.FILE_NAME));
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      Schema.migrateTo(c, 0, 3);
      long t = T0.toEpochMilli();
      st.executeUpdate("INSERT INTO idempotency VALUES ('ok', 'h', 'c1', 200, '{\"commandId\":\"c1\",\"status\":"
          + "\"succeeded\",\"device\":\"lamp\",\"state\":{\"power\":true,\"brightness\":60.0},\"version\":4}', " + t + ")");
      st.executeUpdate("INSERT INTO idempotency VALUES ('later', 'h', 'c2', 202, '{\"commandId\":\"c2\",\"status\":"
          + "\"pending\"}', " + t + ")");
      st.executeUpdate("INSERT INTO idempotency VALUES ('no', 'h', 'c3', 502, '{\"type\":\"x\",\"title\":\"x\","
          + "\"status\":502,\"detail\":\"overheated\",\"code\":\"DEVICE_REJECTED\",\"commandId\":\"c3\","
          + "\"commandStatus\":\"failed\"}', " + t + ")");
      st.executeUpdate("INSERT INTO idempotency VALUES ('slow', 'h', 'c4', 504, '{\"detail\":\"no confirmation\","
          + "\"code\":\"COMMAND_TIMEOUT\",\"commandId\":\"c4\",\"commandStatus\":\"timed_out\"}', " + t + ")");
      st.executeUpdate("INSERT INTO idempotency VALUES ('reserved', 'h', 'c5', 0, NULL, " + t + ")");
      st.executeUpdate("INSERT INTO idempotency VALUES ('odd', 'h', 'c6', 418, '{\"code\":\"TEAPOT\"}', " + t + ")");
      st.executeUpdate("INSERT INTO idempotency VALUES ('broken', 'h', 'c7', 200, 'not json', " + t + ")");
    }
    // WHEN the gateway opens it
    SqliteStore migrated = new SqliteStore(old, TestTransports.standard());
    migrated.open();
    try {
      // THEN each row holds the command's result, as it was answered
      CommandStore commands = migrated.commands();
      assertEquals(Optional.of(new IdempotencyRecord("ok", "h", "c1", CommandStatus.SUCCEEDED, null, null,
          "{\"power\":true,\"brightness\":60.0}", 4L, T0)), commands.findIdempotency("ok"));
      assertEquals(Optional.of(new IdempotencyRecord("later", "h", "c2", CommandStatus.PENDING, null, null, null,
          null, T0)), commands.findIdempotency("later"));
      assertEquals(Optional.of(new IdempotencyRecord("no", "h", "c3", CommandStatus.FAILED, FailureReason.REJECTED,
          "overheated", null, null, T0)), commands.findIdempotency("no"));
      assertEquals(Optional.of(new IdempotencyRecord("slow", "h", "c4", CommandStatus.TIMED_OUT,
          FailureReason.TIMED_OUT, "no confirmation", null, null, T0)), commands.findIdempotency("slow"));
      assertEquals(Optional.of(IdempotencyRecord.reserved("reserved", "h", "c5", T0)),
          commands.findIdempotency("reserved"));
      // AND rows that cannot be understood are dropped (a repeat then runs as a new request)
      assertEquals(Optional.empty(), commands.findIdempotency("odd"));
      assertEquals(Optional.empty(), commands.findIdempotency("broken"));
      assertEquals(Optional.of(Integer.toString(Schema.latest())), migrated.meta().get("schema_version"));
    } finally {
      migrated.close();
    }
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
    StoreException e = assertThrows(StoreException.class, () -> new SqliteStore(other, TestTransports.standard()).open());
    assertTrue(e.getMessage().contains(other.resolve(SqliteStore.FILE_NAME).toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not an SQLite database"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void dataDirThatIsAFileFailsWithClearMessage() throws Exception {
    Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
    StoreException e = assertThrows(StoreException.class, () -> new SqliteStore(notADir, TestTransports.standard()).open());
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
    StoreException e = assertThrows(StoreException.class, () -> new SqliteStore(dir, TestTransports.standard()).open());
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
      SqliteStore s = new SqliteStore(dir.resolve("twice"), TestTransports.standard());
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
