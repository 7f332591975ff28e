package io.hearth.gateway.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A single-use code that pairs a new user: the first pairing code (role owner, no expiry) or an
 * invite. Only the code's hash is kept.
 *
 * @param codeHash  SHA-256 of the normalised code, hex
 * @param role      the role of the user it creates
 * @param devices   for a guest: the device ids it may see
 * @param createdBy user id of the inviting owner; null for the first pairing code
 * @param createdAt when it was made
 * @param expiresAt null: never
 * @param usedAt    null while unused
 */
public record AuthCodeRecord(String codeHash, String role, List<String> devices, String createdBy, Instant createdAt,
    Instant expiresAt, Instant usedAt) {
  public AuthCodeRecord {
    Objects.requireNonNull(codeHash, "codeHash");
    Objects.requireNonNull(role, "role");
    devices = List.copyOf(devices);
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
