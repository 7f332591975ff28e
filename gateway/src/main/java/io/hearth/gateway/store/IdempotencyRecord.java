package io.hearth.gateway.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An {@code Idempotency-Key} and the first answer to it, replayed to repeats for 24 h. The answer
 * is the command's result in the domain's terms, never an HTTP status or a rendered body: each
 * edge renders it as it renders a fresh one.
 *
 * @param key          the scoped key (caller identity, device and the header value)
 * @param requestHash  hash of the request: a repeat with another request is a client error
 * @param commandId    the command the first request created
 * @param answered     the command's status in the first answer: {@code PENDING} (not waited for),
 *                     {@code SUCCEEDED}, {@code FAILED} or {@code TIMED_OUT}; null while the key is
 *                     reserved but not answered yet (a crash then leaves only the command to go by)
 * @param reason       why it failed, when it did, else null
 * @param detail       the failure's human detail, else null
 * @param stateJson    when it succeeded: the device's state then (a JSON object), or null
 * @param stateVersion that state's version, or null
 * @param createdAt    when the first request came
 */
public record IdempotencyRecord(String key, String requestHash, String commandId, CommandStatus answered,
    FailureReason reason, String detail, String stateJson, Long stateVersion, Instant createdAt) {
  public IdempotencyRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A key made durable with its command before the command is sent; no answer yet. */
  public static IdempotencyRecord reserved(String key, String requestHash, String commandId, Instant createdAt) {
    return new IdempotencyRecord(key, requestHash, commandId, null, null, null, null, null, createdAt);
  }
}
