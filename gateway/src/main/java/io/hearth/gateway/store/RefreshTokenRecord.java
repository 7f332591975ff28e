package io.hearth.gateway.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One refresh token of a session ("family"): rotated at each use, so at most one of a family is
 * unused. Only the hash of its secret is kept.
 *
 * @param id         public selector of the token (random)
 * @param secretHash SHA-256 of the token's secret part, hex
 * @param userId     its user
 * @param family     the session: every token rotated from the same pairing shares it
 * @param createdAt  when it was issued
 * @param expiresAt  when it stops working
 * @param usedAt     when it was rotated (null: still the current one)
 * @param revoked    true once its family was revoked (e.g. reuse of a rotated token)
 */
public record RefreshTokenRecord(String id, String secretHash, String userId, String family, Instant createdAt,
    Instant expiresAt, Instant usedAt, boolean revoked) {
  public RefreshTokenRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(secretHash, "secretHash");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  @Override
  public String toString() {
    return "RefreshTokenRecord[id=" + id + ", userId=" + userId + ", family=" + family + ", usedAt=" + usedAt
        + ", revoked=" + revoked + "]";
  }
}
