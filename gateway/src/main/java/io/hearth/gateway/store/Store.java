package io.hearth.gateway.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything Hearth keeps across restarts. All methods block (disk I/O): call them only from a
 * worker, never from an event loop; {@link AsyncStore} does that. One caller at a time.
 */
public interface Store extends AutoCloseable {

  /** Opens (creating if needed) the store and its schema. */
  void open();

  // registry
  List<StoredDevice> loadDevices();

  void upsertDevice(StoredDevice device);

  /** Removes a device, its state, history and commands; a config device is remembered as removed. */
  void deleteDevice(String deviceId, boolean fromConfig);

  /** Ids of {@code devices.yaml} devices the owner deleted: not re-imported at start. */
  Set<String> removedConfigDevices();

  // state
  Map<String, DeviceStateSnapshot> loadStates();

  /** Saves snapshots in one transaction (last write per device wins). */
  void saveStates(Collection<DeviceStateSnapshot> snapshots);

  void appendHistory(Collection<HistoryPoint> points);

  /** Points of one property in [from, to], oldest first. */
  List<HistoryPoint> history(String deviceId, String property, Instant from, Instant to, int limit);

  /**
   * Deletes history points older than {@code before}; returns how many. Stores that keep no
   * history return 0.
   */
  default int purgeHistory(Instant before) {
    return 0;
  }

  // commands
  void saveCommand(CommandRecord command);

  Optional<CommandRecord> findCommand(String commandId);

  /** Commands not in a terminal status (left over by a crash). */
  List<CommandRecord> unfinishedCommands();

  /** Deletes terminal commands completed before {@code before}; returns how many. */
  int purgeCommands(Instant before);

  // idempotency
  Optional<IdempotencyRecord> findIdempotency(String key);

  void saveIdempotency(IdempotencyRecord record);

  int purgeIdempotency(Instant before);

  // small key-value facts (counters, keys)
  Optional<String> meta(String key);

  void putMeta(String key, String value);

  @Override
  void close();
}
