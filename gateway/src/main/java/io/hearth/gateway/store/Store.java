package io.hearth.gateway.store;

import java.time.Instant;
import java.util.List;

/**
 * Everything Hearth keeps across restarts, one store per concern: {@link #devices()},
 * {@link #bridges()}, {@link #states()} (state and history), {@link #commands()} (commands and idempotency keys),
 * {@link #events()}, {@link #auth()} and {@link #meta()}. They share one database and its
 * transactions' durability rules (docs/storage.md).
 *
 * <p>All their methods block (disk I/O): call them only from a worker, never from an event loop;
 * {@link AsyncStore} runs every call on one thread, in order. One caller at a time. They throw
 * {@link StoreUnavailableException} when the disk or the file system fails (try again later), and
 * {@link StoreException} for other failures.
 */
public interface Store extends AutoCloseable {

  /** Opens (creating if needed) the store and its schema. */
  void open();

  /** The device registry. */
  DeviceStore devices();

  /**
   * The Zigbee2MQTT bridges registered through the API. The default has none and refuses writes
   * (stores made for tests that need no bridges).
   */
  default BridgeStore bridges() {
    throw new UnsupportedOperationException("this store keeps no bridges");
  }

  /**
   * Automations created through the API and the runs of every automation. The default has none and
   * refuses writes (stores made for tests that need no automations).
   */
  default AutomationStore automations() {
    throw new UnsupportedOperationException("this store keeps no automations");
  }

  /** Device state snapshots and the history of their values. */
  StateStore states();

  /** Reading history back, downsampling and purging it. The default refuses (stores made for tests). */
  default HistoryStore history() {
    throw new UnsupportedOperationException("this store keeps no history");
  }

  /** The scenes (docs/scenes.md). The default refuses (stores made for tests). */
  default SceneStore scenes() {
    throw new UnsupportedOperationException("this store keeps no scenes");
  }

  /** Command records and idempotency keys. */
  CommandStore commands();

  /** The event log (the WebSocket's replay). */
  EventStore events();

  /** Users, pairing/invite codes and refresh tokens. */
  AuthStore auth();

  /** Small key-value facts (counters, keys). */
  MetaStore meta();

  /**
   * What the store can do right now. Unlike the other methods this one never blocks and may be
   * called from any thread. A store that does not track its health reports up.
   */
  default StoreHealth health() {
    return StoreHealth.up(Instant.EPOCH);
  }

  /**
   * Group commit (docs/storage.md#durability): runs {@code calls} in order, back to back, so that
   * their writes commit together, with at most one sync. Each call records its own result or
   * failure; one that throws keeps none of its writes, and the others go on. A failure of the disk
   * or file system keeps none of the group's writes and is thrown: every call of the group failed.
   * The default runs each call on its own.
   *
   * @return whether writes are left that only {@link #sync()} puts on the disk
   * @throws StoreUnavailableException if the disk or file system failed
   */
  default boolean commitGroup(List<? extends Runnable> calls) {
    for (Runnable call : calls) {
      try {
        call.run();
      } catch (RuntimeException | Error e) {
        // the call recorded it
      }
    }
    return false;
  }

  /**
   * Syncs to the disk the writes committed so far, if any is not yet (the periodic sync of
   * {@code data.durability: normal}). Unlike most methods, callable from another thread while the
   * store thread works. Returns whether it synced.
   *
   * @throws StoreUnavailableException if the sync failed
   */
  default boolean sync() {
    return false;
  }

  @Override
  void close();
}
