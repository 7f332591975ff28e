package io.hearth.gateway.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Command records and idempotency keys (see {@link Store}: blocking, one caller at a time). */
public interface CommandStore {

  /** Inserts or updates a command (by command id). */
  void save(CommandRecord command);

  Optional<CommandRecord> find(String commandId);

  /** Commands not in a terminal status (left over by a crash). */
  List<CommandRecord> unfinished();

  /** Commands that ended {@code unknown} at or after {@code since} (to settle after a restart), oldest first. */
  List<CommandRecord> unknownSince(Instant since);

  /** Deletes terminal commands completed before {@code before}; returns how many. */
  int purge(Instant before);

  // idempotency

  Optional<IdempotencyRecord> findIdempotency(String key);

  void saveIdempotency(IdempotencyRecord record);

  int purgeIdempotency(Instant before);
}
