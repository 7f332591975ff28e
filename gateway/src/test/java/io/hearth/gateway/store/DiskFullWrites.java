package io.hearth.gateway.store;

import static io.hearth.gateway.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.store.StoreHealth.Status;
import io.hearth.gateway.store.StoreUnavailableException.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.function.Executable;

/**
 * The writes of a disk-full scenario and their checks, shared by the test that caps the database
 * size ({@link StoreDiskFullTest}) and the one that fills a small file system ({@link StoreTmpfsFullTest}).
 * Payloads are larger than a page, so every write needs new pages on the disk.
 */
final class DiskFullWrites {
  static final String DEVICE = "d";

  private DiskFullWrites() {}

  static String text(int bytes) {
    return "x".repeat(bytes);
  }

  static CommandRecord command(String id, int bytes) {
    return new CommandRecord(id, DEVICE, "{\"note\":\"" + text(bytes) + "\"}", CommandStatus.PENDING, null, T0, null);
  }

  static DeviceStateSnapshot state(long version, int bytes) {
    return new DeviceStateSnapshot(DEVICE, Map.of("note", text(bytes)), Map.of(), Map.of("note", T0), version, true,
        null, T0);
  }

  /**
   * Caps the database at its current size, as a full disk would: VACUUM first, so no free page is
   * left inside the file for a write to use (a schema migration that rebuilt a table leaves some),
   * then {@code max_page_count}, which SQLite never sets below the current size.
   */
  static void capAtCurrentSize(SqliteStore store) {
    try {
      store.db().vacuum();
      store.db().pragma("max_page_count = 1");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static StoredEvent event(long seq, int bytes) {
    return new StoredEvent(seq, "event", DEVICE, T0, "{\"note\":\"" + text(bytes) + "\"}");
  }

  static IdempotencyRecord idempotency(String key, int bytes) {
    return new IdempotencyRecord(key, "hash", "c", CommandStatus.SUCCEEDED, null, null,
        "{\"note\":\"" + text(bytes) + "\"}", 1L, T0);
  }

  /** Saves commands {@code c0, c1...} until one fails; returns that one's failure. */
  static Failure saveCommandsUntilFull(Store store, int bytes, int max) {
    for (int i = 0; i < max; i++) {
      CommandRecord c = command("c" + i, bytes);
      try {
        store.commands().save(c);
      } catch (StoreUnavailableException e) {
        return new Failure(c, e);
      }
    }
    throw new AssertionError("no write failed after " + max + " commands");
  }

  record Failure(CommandRecord command, StoreUnavailableException error) {}

  /** The failure is typed, one line, names the operation, and the health says why since when. */
  static void assertDiskFull(Store store, StoreUnavailableException e, String op, Instant notBefore) {
    assertEquals(Reason.DISK_FULL, e.reason());
    assertTrue(e.getMessage().contains("store " + op + " failed"), e.getMessage());
    assertTrue(e.getMessage().contains("the disk is full"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    StoreHealth health = store.health();
    assertEquals(Status.DEGRADED, health.status(), health.toString());
    assertEquals(Reason.DISK_FULL, health.reason());
    assertEquals("degraded (disk full)", health.summary());
    assertEquals(e.getMessage(), health.detail());
    assertTrue(!health.since().isBefore(notBefore), health.toString());
  }

  /** Commands, states, history, events and idempotency records all fail with the typed error. */
  static void assertEveryKindOfWriteFails(Store store, int bytes) {
    assertUnavailable(() -> store.commands().save(command("other", bytes)));
    assertUnavailable(() -> store.states().save(List.of(state(1, bytes))));
    assertUnavailable(() -> store.events().append(List.of(event(1, bytes))));
    assertUnavailable(() -> store.commands().saveIdempotency(idempotency("k", bytes)));
    assertEquals(Status.DEGRADED, store.health().status());
  }

  /** The failed command and every other kind of write go through again, and the health is up. */
  static void assertEveryKindOfWriteWorks(Store store, CommandRecord failed, int bytes, Instant notBefore) {
    store.commands().save(failed);
    assertEquals(Optional.of(failed), store.commands().find(failed.commandId()));
    CommandRecord done = failed.withStatus(CommandStatus.SUCCEEDED, null, T0.plusSeconds(1));
    store.commands().save(done);
    assertEquals(Optional.of(done), store.commands().find(failed.commandId()));
    store.states().save(List.of(state(2, bytes)));
    assertEquals(2, store.states().load().get(DEVICE).version());
    store.states().appendHistory(List.of(new HistoryPoint(DEVICE, "temperature", T0, 21.5)));
    assertEquals(1, store.states().history(DEVICE, "temperature", T0, T0, 10).size());
    store.events().append(List.of(event(7, bytes)));
    assertEquals(List.of(7L), store.events().after(0, 10).stream().map(StoredEvent::seq).toList());
    store.commands().saveIdempotency(idempotency("k", bytes));
    assertTrue(store.commands().findIdempotency("k").isPresent());
    StoreHealth health = store.health();
    assertEquals(Status.UP, health.status(), health.toString());
    assertEquals("up", health.summary());
    assertTrue(!health.since().isBefore(notBefore), health.toString());
  }

  private static void assertUnavailable(Executable write) {
    StoreUnavailableException e = assertThrows(StoreUnavailableException.class, write);
    assertEquals(Reason.DISK_FULL, e.reason(), e.getMessage());
    assertNotNull(e.getCause());
  }
}
