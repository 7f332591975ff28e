package io.hearth.gateway.store;

import io.hearth.gateway.TestTransports;
import static io.hearth.gateway.store.DiskFullWrites.DEVICE;
import static io.hearth.gateway.store.DiskFullWrites.assertDiskFull;
import static io.hearth.gateway.store.DiskFullWrites.assertEveryKindOfWriteFails;
import static io.hearth.gateway.store.DiskFullWrites.assertEveryKindOfWriteWorks;
import static io.hearth.gateway.store.DiskFullWrites.saveCommandsUntilFull;
import static io.hearth.gateway.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.store.DiskFullWrites.Failure;
import io.hearth.gateway.store.StoreHealth.Status;
import io.hearth.gateway.store.StoreUnavailableException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A full disk without a small file system: {@code PRAGMA max_page_count} caps the database at its
 * size, so SQLite fails every write that needs a new page with {@code SQLITE_FULL}, exactly as when
 * the disk is full. The store must recover on the same connection once the cap is lifted.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StoreDiskFullTest extends SqliteTestBase {
  private static final int BYTES = 10_000;
  private static final String NO_CAP = "max_page_count = 1073741823";

  @Test
  void writesFailTypedWhileFullAndWorkAgainOnTheSameStoreOnceThereIsSpace() throws Exception {
    // GIVEN a registered device, and a database that cannot grow (SQLite keeps the cap at its size)
    store.devices().upsert(Fixtures.coapDevice(DEVICE));
    assertEquals(Status.UP, store.health().status());
    Instant full = Instant.now();
    DiskFullWrites.capAtCurrentSize(store);
    // WHEN commands are saved THEN one fails with the typed error, and the health says why
    Failure failure = saveCommandsUntilFull(store, BYTES, 100);
    assertDiskFull(store, failure.error(), "saveCommand", full);
    assertEveryKindOfWriteFails(store, BYTES);
    // reads still work, and writes that change nothing do not count as a recovery
    assertEquals(1, store.devices().load().size());
    assertEquals(Optional.empty(), store.commands().find(failure.command().commandId()));
    store.commands().save(new CommandRecord("ghost", "unknown-device", "{}", CommandStatus.PENDING, null, T0, null));
    assertEquals(0, store.commands().purge(T0));
    assertEquals(Status.DEGRADED, store.health().status());
    Instant degradedSince = store.health().since();

    // WHEN space is back (the store is not reopened)
    Instant back = Instant.now();
    store.db().pragma(NO_CAP);
    // THEN the failed command, states, history, events and idempotency records are written, and it is up
    assertEveryKindOfWriteWorks(store, failure.command(), BYTES, back);
    assertTrue(degradedSince.isBefore(store.health().since()) || degradedSince.equals(store.health().since()));
    // and committed for real: another connection sees it (no transaction was left open)
    assertEquals("succeeded", statusSeenByAnotherConnection(failure.command().commandId()));
  }

  @Test
  void aFailedDurableTransactionLeavesTheConnectionUsable() throws Exception {
    // GIVEN a full database
    store.devices().upsert(Fixtures.coapDevice(DEVICE));
    DiskFullWrites.capAtCurrentSize(store);
    // WHEN a durable write (synchronous=FULL) and a multi-statement one fail
    assertThrows(StoreUnavailableException.class,
        () -> store.commands().saveIdempotency(DiskFullWrites.idempotency("k", BYTES)));
    assertThrows(StoreUnavailableException.class,
        () -> store.devices().upsert(Fixtures.mqttDevice("big-" + DiskFullWrites.text(BYTES), false)));
    store.db().pragma(NO_CAP);
    // THEN the next writes commit at once, visible to another connection
    store.commands().save(DiskFullWrites.command("c", 10));
    store.commands().save(DiskFullWrites.command("c", 10).withStatus(CommandStatus.FAILED, "no", T0));
    assertEquals("failed", statusSeenByAnotherConnection("c"));
    assertEquals(Status.UP, store.health().status());
  }

  @Test
  void aConnectionClosedUnderTheStoreIsOpenedAgainWithItsPragmas() throws Exception {
    // GIVEN a command stored, and the connection closed under the store (as a failing file system can)
    store.devices().upsert(Fixtures.coapDevice(DEVICE));
    store.commands().save(DiskFullWrites.command("c1", 10));
    store.db().rawConnection().close();
    // WHEN the store is used THEN it opens the file again, with foreign keys and WAL as at open
    store.commands().save(DiskFullWrites.command("c2", 10));
    assertEquals(List.of("c1", "c2"), store.commands().unfinished().stream().map(CommandRecord::commandId).toList());
    assertEquals("1", pragma("foreign_keys"));
    assertEquals("wal", pragma("journal_mode"));
    assertEquals("5000", pragma("busy_timeout"));
    assertEquals(Status.UP, store.health().status());
  }

  @Test
  void aFileThatCannotBeReopenedIsNotReplacedByAnEmptyOne() throws Exception {
    // GIVEN a command stored; then the connection breaks while the file is away
    store.devices().upsert(Fixtures.coapDevice(DEVICE));
    store.commands().save(DiskFullWrites.command("c1", 10));
    store.close();
    store = new SqliteStore(dir, TestTransports.standard()); // a closed store refuses calls: use one that is open on the file
    store.open();
    Path file = store.file();
    Path aside = file.resolveSibling("aside.db");
    store.db().rawConnection().close(); // checkpoints: the file holds everything
    Files.move(file, aside);
    // WHEN the store is used THEN it is down with an I/O error, and no empty file took its place
    StoreUnavailableException gone = assertThrows(StoreUnavailableException.class, () -> store.commands().find("c1"));
    assertEquals(Reason.IO_ERROR, gone.reason());
    assertTrue(gone.getMessage().contains("cannot reopen"), gone.getMessage());
    assertEquals(Status.DOWN, store.health().status());
    assertEquals("down (I/O error)", store.health().summary());
    assertTrue(Files.notExists(file));
    // WHEN the file is back THEN the same store reads it, and is up after the next write
    Files.move(aside, file);
    assertTrue(store.commands().find("c1").isPresent());
    assertEquals(Status.DEGRADED, store.health().status());
    store.commands().save(DiskFullWrites.command("c2", 10));
    assertEquals(Status.UP, store.health().status());
  }

  @Test
  void aClosedStoreRefusesCallsWithTheTypedError() {
    store.close();
    StoreUnavailableException e = assertThrows(StoreUnavailableException.class, () -> store.meta().get("k"));
    assertEquals(Reason.CLOSED, e.reason());
    assertEquals("down (closed)", store.health().summary());
  }

  private String pragma(String name) throws Exception {
    try (Statement st = store.db().rawConnection().createStatement();
        ResultSet rs = st.executeQuery("PRAGMA " + name)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private String statusSeenByAnotherConnection(String commandId) throws Exception {
    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + store.file());
        PreparedStatement ps = other.prepareStatement("SELECT status FROM commands WHERE command_id = ?")) {
      ps.setString(1, commandId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
