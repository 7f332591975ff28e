package io.hearth.gateway.store;

import java.util.List;
import java.util.Set;

/** The device registry as stored (see {@link Store}: blocking, one caller at a time). */
public interface DeviceStore {

  /** Every stored device, in registration order. */
  List<StoredDevice> load();

  /** Adds or replaces a device (by id). */
  void upsert(StoredDevice device);

  /** Adds or replaces several devices; the SQLite store does it in one durable transaction (one sync). */
  default void upsertAll(List<StoredDevice> devices) {
    devices.forEach(this::upsert);
  }

  /** Removes a device, its state, history and commands; a config device is remembered as removed. */
  void delete(String deviceId, boolean fromConfig);

  /** Ids of {@code devices.yaml} devices the owner deleted: not re-imported at start. */
  Set<String> removedConfigIds();
}
