package io.hearth.gateway.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Users, pairing/invite codes and refresh tokens (see io.hearth.gateway.security, and
 * {@link Store}: blocking, one caller at a time).
 */
public interface AuthStore {

  /** Every paired user, oldest first. */
  List<UserRecord> users();

  /** Adds a pairing or invite code unless one with the same hash exists; true if added. */
  boolean addCode(AuthCodeRecord code);

  Optional<AuthCodeRecord> findCode(String codeHash);

  /**
   * In one durable transaction: marks the code used, if it is unused and not expired at
   * {@code now}, and creates the user it pairs (with the code's role and devices).
   *
   * @return the new user, or empty when the code is unknown, used or expired
   */
  Optional<UserRecord> redeemCode(String codeHash, Instant now, String userId, String name);

  void saveRefreshToken(RefreshTokenRecord token);

  Optional<RefreshTokenRecord> findRefreshToken(String id);

  /**
   * In one durable transaction: marks {@code usedId} used, if it is neither used nor revoked, and
   * saves {@code next}; false (and nothing saved) otherwise.
   */
  boolean rotateRefreshToken(String usedId, Instant now, RefreshTokenRecord next);

  /** Revokes every refresh token of a session; returns how many. */
  int revokeFamily(String family);

  /** Sessions (refresh token families) that were revoked and still have unexpired rows. */
  Set<String> revokedFamilies();

  /** Deletes expired invites and refresh tokens (never the first pairing code); returns how many. */
  int purge(Instant now);
}
