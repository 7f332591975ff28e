package io.hearth.gateway.command;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hearth.gateway.api.ApiException;
import io.hearth.gateway.api.ErrorCode;
import io.hearth.gateway.store.AsyncStore;
import io.hearth.gateway.store.CommandRecord;
import io.hearth.gateway.store.IdempotencyRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
 * given, so a repeat after a restart is recognised too.
 */
final class Idempotency {
  static final Duration TTL = Duration.ofHours(24);
  private static final Logger LOG = LoggerFactory.getLogger(Idempotency.class);

  private final AsyncStore store;
  private final Clock clock;
  private final Map<String, Entry> entries = new HashMap<>();

  private record Entry(String requestHash, Instant createdAt, Future<CommandOutcome> answer) {}

  Idempotency(AsyncStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Runs {@code first} once per key; repeats get its answer.
   *
   * @param fromRecord the answer for a stored command whose first answer was never recorded (crash)
   */
  Future<CommandOutcome> execute(String key, String requestJson, Supplier<Future<CommandOutcome>> first,
      Function<CommandRecord, CommandOutcome> fromRecord) {
    String hash = sha256(requestJson);
    Entry known = entries.get(key);
    if (known != null && known.createdAt.plus(TTL).isAfter(clock.instant())) {
      return known.requestHash.equals(hash) ? known.answer : Future.failedFuture(reusedKey());
    }
    Promise<CommandOutcome> answer = Promise.promise();
    Instant now = clock.instant();
    entries.put(key, new Entry(hash, now, answer.future()));
    store.call(s -> s.commands().findIdempotency(key)).compose(stored -> {
      if (stored.isPresent() && stored.get().createdAt().plus(TTL).isAfter(now)) {
        return replay(stored.get(), hash, fromRecord);
      }
      return first.get().compose(outcome -> record(key, hash, now, outcome));
    }).onComplete(r -> {
      if (r.failed()) {
        entries.remove(key); // refused before anything was sent: a retry may go through
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
    return store.run(s -> s.commands().saveIdempotency(new IdempotencyRecord(key, hash, commandId, 0, null, at)));
  }

  /** Forgets keys older than 24 h, in memory and in the store. */
  Future<Integer> purge() {
    Instant cutoff = clock.instant().minus(TTL);
    entries.values().removeIf(e -> e.createdAt.isBefore(cutoff));
    return store.call(s -> s.commands().purgeIdempotency(cutoff));
  }

  private Future<CommandOutcome> record(String key, String hash, Instant createdAt, CommandOutcome outcome) {
    String commandId = String.valueOf(outcome.body().get("commandId"));
    String body;
    try {
      body = CommandService.JSON.writeValueAsString(outcome.body());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return Future.failedFuture(e);
    }
    return store.run(s -> s.commands().saveIdempotency(new IdempotencyRecord(key, hash, commandId, outcome.httpStatus(), body,
        createdAt))).map(v -> outcome);
  }

  private Future<CommandOutcome> replay(IdempotencyRecord stored, String hash,
      Function<CommandRecord, CommandOutcome> fromRecord) {
    if (!stored.requestHash().isEmpty() && !stored.requestHash().equals(hash)) {
      return Future.failedFuture(reusedKey());
    }
    LOG.debug("idempotent repeat answered from the store [cid: {}]", stored.commandId());
    if (stored.responseJson() != null && stored.httpStatus() > 0) {
      try {
        Map<String, Object> body = CommandService.JSON.readValue(stored.responseJson(),
            new TypeReference<Map<String, Object>>() { });
        ErrorCode code = body.get("code") instanceof String c ? ErrorCode.valueOf(c) : null;
        return Future.succeededFuture(new CommandOutcome(stored.httpStatus(), body, code));
      } catch (java.io.IOException | IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
    }
    return store.call(s -> s.commands().find(stored.commandId())).map((Optional<CommandRecord> r) -> r.map(fromRecord)
        .orElseThrow(() -> new ApiException(ErrorCode.COMMAND_NOT_FOUND, "the command of this key is gone")));
  }

  private static ApiException reusedKey() {
    return new ApiException(ErrorCode.VALIDATION_FAILED, "Idempotency-Key was used with a different request",
        List.of(new ApiException.FieldError("Idempotency-Key", "was already used with a different request")));
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
