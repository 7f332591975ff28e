package io.hearth.gateway.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.hearth.gateway.domain.CommandNotFoundException;
import io.hearth.gateway.domain.FieldError;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.store.AsyncStore;
import io.hearth.gateway.store.CommandRecord;
import io.hearth.gateway.store.CommandStatus;
import io.hearth.gateway.store.IdempotencyRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Idempotency-Key}: a repeat with the same key within 24 h returns the first answer and
 * sends nothing. Concurrent repeats share the first request's answer; the key is durable (with
 * the command it created) before the command is sent, and the answer is durable before it is
 * given, so a repeat after a restart is recognised too. What is kept is the {@link CommandResult}
 * (status, failure reason, detail, the device's state then), never a rendered answer: each edge
 * renders a replay as it renders a fresh one.
 */
final class Idempotency {
  static final Duration TTL = Duration.ofHours(24);
  private static final Logger LOG = LoggerFactory.getLogger(Idempotency.class);
  private static final TypeReference<Map<String, Object>> STATE = new TypeReference<>() { };

  private final AsyncStore store;
  private final Clock clock;
  private final Map<String, Entry> entries = new HashMap<>();

  private record Entry(String requestHash, Instant createdAt, Future<CommandResult> answer) {}

  Idempotency(AsyncStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Runs {@code first} once per key; repeats get its result.
   *
   * @param deviceId   the device the key is scoped to (and the command is for)
   * @param fromRecord the result for a stored command whose first answer was never recorded (crash)
   */
  Future<CommandResult> execute(String key, String deviceId, String requestJson,
      Supplier<Future<CommandResult>> first, Function<CommandRecord, CommandResult> fromRecord) {
    String hash = sha256(requestJson);
    Entry known = entries.get(key);
    if (known != null && known.createdAt.plus(TTL).isAfter(clock.instant())) {
      return known.requestHash.equals(hash) ? known.answer : Future.failedFuture(reusedKey());
    }
    Promise<CommandResult> answer = Promise.promise();
    Instant now = clock.instant();
    entries.put(key, new Entry(hash, now, answer.future()));
    store.call(s -> s.commands().findIdempotency(key)).compose(stored -> {
      if (stored.isPresent() && stored.get().createdAt().plus(TTL).isAfter(now)) {
        return replay(stored.get(), deviceId, hash, fromRecord);
      }
      return first.get().compose(result -> record(key, hash, now, result));
    }).onComplete(r -> {
      if (r.failed()) {
        entries.remove(key); // refused before anything was sent: a retry may go through
      } else if (r.result().status() == CommandStatus.UNKNOWN) {
        entries.remove(key); // it may be settled later (UnknownSettlement): a repeat reads the store again
      }
      answer.handle(r);
    });
    return answer.future();
  }

  /** Makes the key durable with the command it created, before the command is sent. */
  Future<Void> reserve(String key, String commandId) {
    Entry e = entries.get(key);
    String hash = e == null ? "" : e.requestHash;
    Instant at = e == null ? clock.instant() : e.createdAt;
    return store.run(s -> s.commands().saveIdempotency(IdempotencyRecord.reserved(key, hash, commandId, at)));
  }

  /** Forgets keys older than 24 h, in memory and in the store. */
  Future<Integer> purge() {
    Instant cutoff = clock.instant().minus(TTL);
    entries.values().removeIf(e -> e.createdAt.isBefore(cutoff));
    return store.call(s -> s.commands().purgeIdempotency(cutoff));
  }

  private Future<CommandResult> record(String key, String hash, Instant createdAt, CommandResult result) {
    IdempotencyRecord stored;
    try {
      stored = toRecord(key, hash, createdAt, result);
    } catch (JsonProcessingException e) {
      return Future.failedFuture(e);
    }
    return store.run(s -> s.commands().saveIdempotency(stored)).map(v -> result);
  }

  private Future<CommandResult> replay(IdempotencyRecord stored, String deviceId, String hash,
      Function<CommandRecord, CommandResult> fromRecord) {
    if (!stored.requestHash().isEmpty() && !stored.requestHash().equals(hash)) {
      return Future.failedFuture(reusedKey());
    }
    LOG.debug("idempotent repeat answered from the store [cid: {}]", stored.commandId());
    // an unknown answer may have been settled since (UnknownSettlement): answered from the command as it is now
    if (stored.answered() != null && stored.answered() != CommandStatus.UNKNOWN) {
      try {
        return Future.succeededFuture(resultOf(stored, deviceId));
      } catch (IOException | RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    return store.call(s -> s.commands().find(stored.commandId())).map((Optional<CommandRecord> r) -> r.map(fromRecord)
        .orElseThrow(() -> new CommandNotFoundException(stored.commandId(), "the command of this key is gone")));
  }

  private static IdempotencyRecord toRecord(String key, String hash, Instant createdAt, CommandResult result)
      throws JsonProcessingException {
    if (result instanceof CommandResult.Succeeded s) {
      String state = s.state() == null ? null : CommandService.JSON.writeValueAsString(s.state());
      return new IdempotencyRecord(key, hash, s.commandId(), s.status(), null, null, state, s.version(), createdAt);
    }
    if (result instanceof CommandResult.Failed f) {
      return new IdempotencyRecord(key, hash, f.commandId(), f.status(), f.reason(), f.detail(), null, null,
          createdAt);
    }
    if (result instanceof CommandResult.Superseded s) { // the newer command's id kept as the detail
      return new IdempotencyRecord(key, hash, s.commandId(), s.status(), null, s.supersededBy(), null, null,
          createdAt);
    }
    return new IdempotencyRecord(key, hash, result.commandId(), result.status(), null, null, null, null, createdAt);
  }

  private static CommandResult resultOf(IdempotencyRecord r, String deviceId) throws IOException {
    return switch (r.answered()) {
      case SUCCEEDED -> new CommandResult.Succeeded(r.commandId(), deviceId,
          r.stateJson() == null ? null : CommandService.JSON.readValue(r.stateJson(), STATE), r.stateVersion());
      case FAILED, TIMED_OUT, UNKNOWN -> new CommandResult.Failed(r.commandId(), r.reason(), r.detail());
      case SUPERSEDED -> new CommandResult.Superseded(r.commandId(), r.detail());
      case PENDING, SENT -> new CommandResult.Accepted(r.commandId());
    };
  }

  private static ValidationException reusedKey() {
    return new ValidationException("Idempotency-Key was used with a different request",
        List.of(new FieldError("Idempotency-Key", "was already used with a different request")));
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
