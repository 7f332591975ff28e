package io.hearth.gateway.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The first answer to a request with an {@code Idempotency-Key}, replayed to repeats for 24 h.
 *
 * @param key          the scoped key (caller identity, device and the header value)
 * @param requestHash  hash of the request body: a repeat with another body is a client error
 * @param commandId    the command the first request created
 * @param httpStatus   status of the first answer
 * @param responseJson body of the first answer
 * @param createdAt    when the first request was answered
 */
public record IdempotencyRecord(
    String key, String requestHash, String commandId, int httpStatus, String responseJson, Instant createdAt) {
  public IdempotencyRecord {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
