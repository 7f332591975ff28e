package io.hearth.gateway.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

/** The event log, the WebSocket's replay (see {@link Store}: blocking, one caller at a time). */
public interface EventStore {

  /**
   * Meta key: events with a seq at or below this value are not (all) held any more; kept by
   * {@link #purge} in the same transaction as the delete.
   */
  String META_HELD_AFTER = "events.held_after";

  /** Appends events in one transaction (a seq already stored is ignored). */
  void append(Collection<StoredEvent> events);

  /** At most {@code limit} (≥ 1) events with a seq above {@code seq}, oldest first. */
  List<StoredEvent> after(long seq, int limit);

  /** The lowest seq held, if any. */
  OptionalLong oldestSeq();

  /** The highest seq held, if any. */
  OptionalLong latestSeq();

  /**
   * Deletes events older than {@code before} and all but the newest {@code keepLatest}, and raises
   * {@link #META_HELD_AFTER} to the highest seq deleted, in one transaction.
   *
   * @return the highest seq deleted, or 0 when none was
   */
  long purge(Instant before, int keepLatest);
}
