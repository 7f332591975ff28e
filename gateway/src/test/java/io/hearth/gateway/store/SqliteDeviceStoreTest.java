package io.hearth.gateway.store;

import static io.hearth.gateway.store.Fixtures.T0;
import static io.hearth.gateway.store.Fixtures.coapDevice;
import static io.hearth.gateway.store.Fixtures.mqttDevice;
import static io.hearth.gateway.store.Fixtures.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.hearth.adapter.coap.CoapBinding;
import io.hearth.adapter.mqtt.MqttBinding;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link SqliteDeviceStore}: the registry, and what deleting a device takes with it. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteDeviceStoreTest extends SqliteTestBase {
  @Test
  void devicesRoundTripWithCredentialsAndExtra() {
    // GIVEN an MQTT device with credentials and extra keys, and a CoAP device with null fields
    StoredDevice lamp = mqttDevice("living-lamp", true);
    StoredDevice porch = coapDevice("porch-light");
    // WHEN they are saved and the store reopened
    store.devices().upsert(lamp);
    store.devices().upsert(porch);
    reopen();
    // THEN they come back equal, in registration order, password included
    List<StoredDevice> loaded = store.devices().load();
    assertEquals(List.of(lamp, porch), loaded);
    assertEquals("s3cr\"et/π", MqttBinding.of(loaded.get(0).definition()).credentials().password());
    assertInstanceOf(Long.class, CoapBinding.of(loaded.get(1).definition()).extra().get("qos"));
  }

  @Test
  void upsertReplacesAndKeepsOrder() {
    store.devices().upsert(coapDevice("a"));
    store.devices().upsert(coapDevice("b"));
    StoredDevice renamed = new StoredDevice(coapDevice("a").definition().withBinding(
        CoapBinding.hearth("coap://127.0.0.1:5799")), true);
    store.devices().upsert(renamed);
    assertEquals(List.of(renamed, coapDevice("b")), store.devices().load());
  }

  @Test
  void upsertAllWritesEveryDeviceInOrderAndClearsTombstones() {
    // GIVEN a stored device and a config device the owner deleted
    store.devices().upsert(coapDevice("a"));
    store.devices().upsert(mqttDevice("cfg", true));
    store.devices().delete("cfg", true);
    // WHEN a batch replaces one, adds two and imports the deleted one again
    StoredDevice renamed = new StoredDevice(coapDevice("a").definition().withBinding(
        CoapBinding.hearth("coap://127.0.0.1:5799")), true);
    store.devices().upsertAll(List.of(renamed, coapDevice("b"), mqttDevice("cfg", true)));
    store.devices().upsertAll(List.of());
    reopen();
    // THEN all are stored, in registration order, and the tombstone is gone
    assertEquals(List.of(renamed, coapDevice("b"), mqttDevice("cfg", true)), store.devices().load());
    assertEquals(Set.of(), store.devices().removedConfigIds());
  }

  @Test
  void deleteRemovesEverythingAndRemembersConfigDevices() {
    // GIVEN two devices with state, history and commands
    for (String id : List.of("cfg", "api")) {
      store.devices().upsert(id.equals("cfg") ? mqttDevice(id, true) : coapDevice(id));
      store.states().save(List.of(snapshot(id, 1)));
      store.states().appendHistory(List.of(new HistoryPoint(id, "temperature", T0, 21.5)));
      store.commands().save(new CommandRecord(id + "-c", id, "{}", CommandStatus.SENT, null, T0, null));
    }
    // WHEN both are deleted
    store.devices().delete("cfg", true);
    store.devices().delete("api", false);
    reopen();
    // THEN nothing of them is left and only the config device has a tombstone
    assertEquals(List.of(), store.devices().load());
    assertEquals(Map.of(), store.states().load());
    assertEquals(List.of(), store.commands().unfinished());
    assertEquals(List.of(), store.states().history("cfg", "temperature", Instant.EPOCH, T0.plusSeconds(1), 10));
    assertEquals(Set.of("cfg"), store.devices().removedConfigIds());
    // a late state write cannot resurrect a deleted device
    store.states().save(List.of(snapshot("cfg", 2)));
    assertEquals(Map.of(), store.states().load());
    // importing it from config again clears the tombstone
    store.devices().upsert(mqttDevice("cfg", true));
    assertEquals(Set.of(), store.devices().removedConfigIds());
  }
}
