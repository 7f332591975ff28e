package io.hearth.gateway.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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

  // event log (the WebSocket's replay). Stores without one keep nothing: the defaults below.

  /**
   * Meta key: events with a seq at or below this value are not (all) held any more; kept by
   * {@link #purgeEvents} in the same transaction as the delete.
   */
  String META_EVENTS_HELD_AFTER = "events.held_after";

  /** Appends events in one transaction (a seq already stored is ignored). */
  default void appendEvents(Collection<StoredEvent> events) {
  }

  /** At most {@code limit} (≥ 1) events with a seq above {@code seq}, oldest first. */
  default List<StoredEvent> eventsAfter(long seq, int limit) {
    return List.of();
  }

  /** The lowest seq held, if any. */
  default OptionalLong oldestEventSeq() {
    return OptionalLong.empty();
  }

  /** The highest seq held, if any. */
  default OptionalLong latestEventSeq() {
    return OptionalLong.empty();
  }

  /**
   * Deletes events older than {@code before} and all but the newest {@code keepLatest}, and raises
   * {@link #META_EVENTS_HELD_AFTER} to the highest seq deleted, in one transaction.
   *
   * @return the highest seq deleted, or 0 when none was
   */
  default long purgeEvents(Instant before, int keepLatest) {
    return 0;
  }

  // small key-value facts (counters, keys)
  Optional<String> meta(String key);

  void putMeta(String key, String value);

  @Override
  void close();
}
