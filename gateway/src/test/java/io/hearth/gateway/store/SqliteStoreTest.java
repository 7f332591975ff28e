package io.hearth.gateway.store;

import static io.hearth.gateway.store.Fixtures.T0;
import static io.hearth.gateway.store.Fixtures.coapDevice;
import static io.hearth.gateway.store.Fixtures.mqttDevice;
import static io.hearth.gateway.store.Fixtures.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteStoreTest {
  @TempDir
  Path dir;
  SqliteStore store;

  @BeforeEach
  void open() {
    store = new SqliteStore(dir);
    store.open();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void reopen() {
    store.close();
    store = new SqliteStore(dir);
    store.open();
  }

  @Test
  void devicesRoundTripWithCredentialsAndExtra() {
    // GIVEN an MQTT device with credentials and extra keys, and a CoAP device with null fields
    StoredDevice lamp = mqttDevice("living-lamp", true);
    StoredDevice porch = coapDevice("porch-light");
    // WHEN they are saved and the store reopened
    store.upsertDevice(lamp);
    store.upsertDevice(porch);
    reopen();
    // THEN they come back equal, in registration order, password included
    List<StoredDevice> loaded = store.loadDevices();
    assertEquals(List.of(lamp, porch), loaded);
    assertEquals("s3cr\"et/π", loaded.get(0).definition().binding().credentials().password());
    assertInstanceOf(Long.class, loaded.get(0).definition().binding().extra().get("qos"));
  }

  @Test
  void upsertReplacesAndKeepsOrder() {
    store.upsertDevice(coapDevice("a"));
    store.upsertDevice(coapDevice("b"));
    StoredDevice renamed = new StoredDevice(coapDevice("a").definition().withBinding(
        coapDevice("a").definition().binding().withCredentials(null)), true);
    store.upsertDevice(renamed);
    assertEquals(List.of(renamed, coapDevice("b")), store.loadDevices());
  }

  @Test
  void statesKeepLongDoubleAndEveryField() {
    // GIVEN a device and a snapshot with 40L, 40.0, 0.1, a boolean and a string
    store.upsertDevice(coapDevice("t"));
    DeviceStateSnapshot s = snapshot("t", 17);
    DeviceStateSnapshot unknownAvailability = new DeviceStateSnapshot("u", Map.of(), null, null, 0, null, null, null);
    store.upsertDevice(coapDevice("u"));
    // WHEN saved and reloaded after reopening
    store.saveStates(List.of(s, unknownAvailability));
    reopen();
    Map<String, DeviceStateSnapshot> loaded = store.loadStates();
    // THEN every value keeps its Java type
    assertEquals(s, loaded.get("t"));
    assertEquals(unknownAvailability, loaded.get("u"));
    assertInstanceOf(Long.class, loaded.get("t").state().get("brightness"));
    assertInstanceOf(Double.class, loaded.get("t").state().get("target_temp"));
    assertEquals(40.0, loaded.get("t").state().get("target_temp"));
  }

  @Test
  void olderVersionDoesNotOverwriteAndUnknownDeviceIsSkipped() {
    store.upsertDevice(coapDevice("t"));
    store.saveStates(List.of(snapshot("t", 5)));
    DeviceStateSnapshot offline = new DeviceStateSnapshot("t", Map.of(), null, null, 5, false, "lwt", T0);
    store.saveStates(List.of(snapshot("t", 4), snapshot("ghost", 1)));
    assertEquals(5, store.loadStates().get("t").version());
    assertEquals(Set.of("t"), store.loadStates().keySet());
    // same version (availability change) is written
    store.saveStates(List.of(offline));
    assertEquals(offline, store.loadStates().get("t"));
  }

  @Test
  void walModeIsOnAndSchemaVersionRecorded() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store.file());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
      assertTrue(rs.next());
      assertEquals("wal", rs.getString(1));
    }
    assertTrue(Files.exists(store.file().resolveSibling("hearth.db-wal")));
    assertEquals(Optional.of(Integer.toString(Schema.latest())), store.meta("schema_version"));
    assertThrows(IllegalArgumentException.class, () -> store.putMeta("schema_version", "0"));
  }

  @Test
  void databaseFilesAreOwnerOnly() throws Exception {
    // the file holds device credentials
    store.putMeta("k", "v");
    Set<PosixFilePermission> ownerOnly = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertEquals(ownerOnly, Files.getPosixFilePermissions(store.file()));
    assertEquals(ownerOnly, Files.getPosixFilePermissions(store.file().resolveSibling("hearth.db-wal")));
  }

  @Test
  void metaRoundTrip() {
    store.putMeta("seq", "1234");
    store.putMeta("seq", "2000");
    reopen();
    assertEquals(Optional.of("2000"), store.meta("seq"));
    assertEquals(Optional.empty(), store.meta("nope"));
  }

  @Test
  void commandsLifecycleAndUnfinished() {
    // GIVEN three commands in different statuses
    store.upsertDevice(coapDevice("d"));
    CommandRecord pending = new CommandRecord("c1", "d", "{\"set\":{\"power\":true}}", CommandStatus.PENDING,
        null, T0, null);
    CommandRecord sent = new CommandRecord("c2", "d", "{\"action\":\"open\"}", CommandStatus.SENT, null,
        T0.plusMillis(1), null);
    CommandRecord done = new CommandRecord("c3", "d", "{}", CommandStatus.PENDING, null, T0.plusMillis(2), null);
    store.saveCommand(pending);
    store.saveCommand(sent);
    store.saveCommand(done);
    CommandRecord failed = done.withStatus(CommandStatus.FAILED, "device said no", T0.plusSeconds(1));
    store.saveCommand(failed);
    store.saveCommand(new CommandRecord("c4", "ghost", "{}", CommandStatus.PENDING, null, T0, null));
    reopen();
    // THEN unfinished are the non-terminal ones, oldest first; updates are kept
    assertEquals(List.of(pending, sent), store.unfinishedCommands());
    assertEquals(Optional.of(failed), store.findCommand("c3"));
    assertEquals(Optional.empty(), store.findCommand("c4"));
    // purge removes terminal ones completed before the cutoff only
    assertEquals(0, store.purgeCommands(T0.plusSeconds(1)));
    assertEquals(1, store.purgeCommands(T0.plusSeconds(2)));
    assertEquals(Optional.empty(), store.findCommand("c3"));
    assertEquals(2, store.unfinishedCommands().size());
  }

  @Test
  void idempotencyFindSavePurge() {
    IdempotencyRecord first = new IdempotencyRecord("u1:lamp:k1", "h1", "c1", 200, "{\"status\":\"succeeded\"}", T0);
    IdempotencyRecord later = new IdempotencyRecord("u1:lamp:k2", "h2", "c2", 202, "{}", T0.plusSeconds(3600));
    store.saveIdempotency(first);
    store.saveIdempotency(later);
    reopen();
    assertEquals(Optional.of(first), store.findIdempotency("u1:lamp:k1"));
    assertEquals(Optional.empty(), store.findIdempotency("other"));
    assertEquals(1, store.purgeIdempotency(T0.plusSeconds(1)));
    assertEquals(Optional.empty(), store.findIdempotency("u1:lamp:k1"));
    assertEquals(Optional.of(later), store.findIdempotency("u1:lamp:k2"));
  }

  @Test
  void deleteRemovesEverythingAndRemembersConfigDevices() {
    // GIVEN two devices with state, history and commands
    for (String id : List.of("cfg", "api")) {
      store.upsertDevice(id.equals("cfg") ? mqttDevice(id, true) : coapDevice(id));
      store.saveStates(List.of(snapshot(id, 1)));
      store.appendHistory(List.of(new HistoryPoint(id, "temperature", T0, 21.5)));
      store.saveCommand(new CommandRecord(id + "-c", id, "{}", CommandStatus.SENT, null, T0, null));
    }
    // WHEN both are deleted
    store.deleteDevice("cfg", true);
    store.deleteDevice("api", false);
    reopen();
    // THEN nothing of them is left and only the config device has a tombstone
    assertEquals(List.of(), store.loadDevices());
    assertEquals(Map.of(), store.loadStates());
    assertEquals(List.of(), store.unfinishedCommands());
    assertEquals(List.of(), store.history("cfg", "temperature", Instant.EPOCH, T0.plusSeconds(1), 10));
    assertEquals(Set.of("cfg"), store.removedConfigDevices());
    // a late state write cannot resurrect a deleted device
    store.saveStates(List.of(snapshot("cfg", 2)));
    assertEquals(Map.of(), store.loadStates());
    // importing it from config again clears the tombstone
    store.upsertDevice(mqttDevice("cfg", true));
    assertEquals(Set.of(), store.removedConfigDevices());
  }

  @Test
  void historyRangeLimitAndPurge() {
    // GIVEN 10 points one second apart, another property and another device
    store.upsertDevice(coapDevice("s"));
    store.upsertDevice(coapDevice("z"));
    List<HistoryPoint> points = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      points.add(new HistoryPoint("s", "temperature", T0.plusSeconds(i), 20 + i));
    }
    points.add(new HistoryPoint("s", "humidity", T0, 55));
    points.add(new HistoryPoint("z", "temperature", T0, 99));
    points.add(new HistoryPoint("s", "temperature", T0.minusSeconds(1), Double.NaN)); // skipped
    store.appendHistory(points);
    // THEN a range is inclusive, oldest first, and limited
    List<HistoryPoint> range = store.history("s", "temperature", T0.plusSeconds(2), T0.plusSeconds(5), 100);
    assertEquals(points.subList(2, 6), range);
    assertEquals(points.subList(0, 3), store.history("s", "temperature", Instant.EPOCH, T0.plusSeconds(60), 3));
    assertThrows(IllegalArgumentException.class, () -> store.history("s", "temperature", T0, T0, 0));
    // AND purging drops the older points of every series
    assertEquals(5, store.purgeHistory(T0.plusSeconds(3)));
    assertEquals(points.subList(3, 10), store.history("s", "temperature", Instant.EPOCH, T0.plusSeconds(60), 100));
    assertEquals(List.of(), store.history("z", "temperature", Instant.EPOCH, T0.plusSeconds(60), 100));
  }

  @Test
  void largeHistoryBatchAndChunkedPurge() {
    store.upsertDevice(coapDevice("s"));
    List<HistoryPoint> points = new ArrayList<>();
    for (int i = 0; i < 12_000; i++) {
      points.add(new HistoryPoint("s", "power_w", T0.plusMillis(i), i));
    }
    store.appendHistory(points);
    assertEquals(12_000, store.history("s", "power_w", Instant.EPOCH, T0.plusSeconds(60), 20_000).size());
    assertEquals(11_000, store.purgeHistory(T0.plusMillis(11_000)));
    assertEquals(1_000, store.history("s", "power_w", Instant.EPOCH, T0.plusSeconds(60), 20_000).size());
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
    assertThrows(IllegalStateException.class, () -> store.loadDevices());
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
