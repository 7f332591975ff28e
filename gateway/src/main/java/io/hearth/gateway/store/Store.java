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

  // users, pairing/invite codes and refresh tokens (see io.hearth.gateway.security). Stores that
  // keep no users (test doubles) leave the defaults, which refuse.

  /** Every paired user, oldest first. */
  default List<UserRecord> loadUsers() {
    throw new UnsupportedOperationException("this store keeps no users");
  }

  /** Adds a pairing or invite code unless one with the same hash exists; true if added. */
  default boolean addAuthCode(AuthCodeRecord code) {
    throw new UnsupportedOperationException("this store keeps no users");
  }

  default Optional<AuthCodeRecord> findAuthCode(String codeHash) {
    throw new UnsupportedOperationException("this store keeps no users");
  }

  /**
   * In one durable transaction: marks the code used, if it is unused and not expired at
   * {@code now}, and creates the user it pairs (with the code's role and devices).
   *
   * @return the new user, or empty when the code is unknown, used or expired
   */
  default Optional<UserRecord> redeemAuthCode(String codeHash, Instant now, String userId, String name) {
    throw new UnsupportedOperationException("this store keeps no users");
  }

  default void saveRefreshToken(RefreshTokenRecord token) {
    throw new UnsupportedOperationException("this store keeps no users");
  }

  default Optional<RefreshTokenRecord> findRefreshToken(String id) {
    throw new UnsupportedOperationException("this store keeps no users");
  }

  /**
   * In one durable transaction: marks {@code usedId} used, if it is neither used nor revoked, and
   * saves {@code next}; false (and nothing saved) otherwise.
   */
  default boolean rotateRefreshToken(String usedId, Instant now, RefreshTokenRecord next) {
    throw new UnsupportedOperationException("this store keeps no users");
  }

  /** Revokes every refresh token of a session; returns how many. */
  default int revokeRefreshFamily(String family) {
    throw new UnsupportedOperationException("this store keeps no users");
  }

  /** Sessions (refresh token families) that were revoked and still have unexpired rows. */
  default Set<String> revokedRefreshFamilies() {
    throw new UnsupportedOperationException("this store keeps no users");
  }

  /** Deletes expired invites and refresh tokens (never the first pairing code); returns how many. */
  default int purgeAuth(Instant now) {
    return 0;
  }

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
