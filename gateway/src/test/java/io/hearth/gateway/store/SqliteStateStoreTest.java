package io.hearth.gateway.store;

import static io.hearth.gateway.store.Fixtures.T0;
import static io.hearth.gateway.store.Fixtures.coapDevice;
import static io.hearth.gateway.store.Fixtures.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link SqliteStateStore}: state snapshots and history. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteStateStoreTest extends SqliteTestBase {
  @Test
  void statesKeepLongDoubleAndEveryField() {
    // GIVEN a device and a snapshot with 40L, 40.0, 0.1, a boolean and a string
    store.devices().upsert(coapDevice("t"));
    DeviceStateSnapshot s = snapshot("t", 17);
    DeviceStateSnapshot unknownAvailability = new DeviceStateSnapshot("u", Map.of(), null, null, 0, null, null, null);
    store.devices().upsert(coapDevice("u"));
    // WHEN saved and reloaded after reopening
    store.states().save(List.of(s, unknownAvailability));
    reopen();
    Map<String, DeviceStateSnapshot> loaded = store.states().load();
    // THEN every value keeps its Java type
    assertEquals(s, loaded.get("t"));
    assertEquals(unknownAvailability, loaded.get("u"));
    assertInstanceOf(Long.class, loaded.get("t").state().get("brightness"));
    assertInstanceOf(Double.class, loaded.get("t").state().get("target_temp"));
    assertEquals(40.0, loaded.get("t").state().get("target_temp"));
  }

  @Test
  void olderVersionDoesNotOverwriteAndUnknownDeviceIsSkipped() {
    store.devices().upsert(coapDevice("t"));
    store.states().save(List.of(snapshot("t", 5)));
    DeviceStateSnapshot offline = new DeviceStateSnapshot("t", Map.of(), null, null, 5, false, "lwt", T0);
    store.states().save(List.of(snapshot("t", 4), snapshot("ghost", 1)));
    assertEquals(5, store.states().load().get("t").version());
    assertEquals(Set.of("t"), store.states().load().keySet());
    // same version (availability change) is written
    store.states().save(List.of(offline));
    assertEquals(offline, store.states().load().get("t"));
  }

  @Test
  void historyRangeLimitAndPurge() {
    // GIVEN 10 points one second apart, another property and another device
    store.devices().upsert(coapDevice("s"));
    store.devices().upsert(coapDevice("z"));
    List<HistoryPoint> points = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      points.add(new HistoryPoint("s", "temperature", T0.plusSeconds(i), 20 + i));
    }
    points.add(new HistoryPoint("s", "humidity", T0, 55));
    points.add(new HistoryPoint("z", "temperature", T0, 99));
    points.add(new HistoryPoint("s", "temperature", T0.minusSeconds(1), Double.NaN)); // skipped
    StateStore states = store.states();
    states.appendHistory(points);
    // THEN a range is inclusive, oldest first, and limited
    List<HistoryPoint> range = states.history("s", "temperature", T0.plusSeconds(2), T0.plusSeconds(5), 100);
    assertEquals(points.subList(2, 6), range);
    assertEquals(points.subList(0, 3), states.history("s", "temperature", Instant.EPOCH, T0.plusSeconds(60), 3));
    assertThrows(IllegalArgumentException.class, () -> states.history("s", "temperature", T0, T0, 0));
    // AND purging drops the older points of every series
    assertEquals(5, states.purgeHistory(T0.plusSeconds(3)));
    assertEquals(points.subList(3, 10), states.history("s", "temperature", Instant.EPOCH, T0.plusSeconds(60), 100));
    assertEquals(List.of(), states.history("z", "temperature", Instant.EPOCH, T0.plusSeconds(60), 100));
  }

  @Test
  void largeHistoryBatchAndChunkedPurge() {
    store.devices().upsert(coapDevice("s"));
    List<HistoryPoint> points = new ArrayList<>();
    for (int i = 0; i < 12_000; i++) {
      points.add(new HistoryPoint("s", "power_w", T0.plusMillis(i), i));
    }
    store.states().appendHistory(points);
    assertEquals(12_000, store.states().history("s", "power_w", Instant.EPOCH, T0.plusSeconds(60), 20_000).size());
    assertEquals(11_000, store.states().purgeHistory(T0.plusMillis(11_000)));
    assertEquals(1_000, store.states().history("s", "power_w", Instant.EPOCH, T0.plusSeconds(60), 20_000).size());
  }
}
