package io.hearth.gateway.store;

import static io.hearth.gateway.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link SqliteAuthStore}: codes redeem once, refresh tokens rotate once, families revoke. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteAuthStoreTest extends SqliteTestBase {

  private static RefreshTokenRecord token(String id, String family) {
    return new RefreshTokenRecord(id, "hash-" + id, "u1", family, T0, T0.plusSeconds(3600), null, false);
  }

  @Test
  void aCodeRedeemsOnceAndNotAfterItExpires() {
    // GIVEN an invite for a guest and an expired one
    AuthCodeRecord invite = new AuthCodeRecord("h1", "guest", List.of("lamp", "porch"), "owner", T0,
        T0.plusSeconds(60), null);
    assertTrue(auth().addCode(invite));
    assertFalse(auth().addCode(invite), "a code with the same hash is not added twice");
    assertTrue(auth().addCode(new AuthCodeRecord("h2", "member", List.of(), "owner", T0, T0.plusSeconds(1), null)));
    // WHEN the first is redeemed twice and the expired one once, after a reopen
    reopen();
    Optional<UserRecord> user = auth().redeemCode("h1", T0.plusSeconds(10), "u1", "Alice's phone");
    Optional<UserRecord> again = auth().redeemCode("h1", T0.plusSeconds(11), "u2", "Bob's phone");
    Optional<UserRecord> late = auth().redeemCode("h2", T0.plusSeconds(1), "u3", "Carol's phone");
    // THEN only the first pairs a user, with the code's role and devices
    assertEquals(Optional.of(new UserRecord("u1", "Alice's phone", "guest", List.of("lamp", "porch"),
        T0.plusSeconds(10))), user);
    assertEquals(Optional.empty(), again);
    assertEquals(Optional.empty(), late);
    assertEquals(List.of(user.orElseThrow()), auth().users());
    assertEquals(T0.plusSeconds(10), auth().findCode("h1").orElseThrow().usedAt());
  }

  @Test
  void aRefreshTokenRotatesOnceAndItsFamilyRevokes() {
    // GIVEN a paired user and its session's first refresh token
    auth().addCode(new AuthCodeRecord("h0", "owner", List.of(), null, T0, null, null));
    assertTrue(auth().redeemCode("h0", T0, "u1", "Alice's phone").isPresent());
    auth().saveRefreshToken(token("t1", "f1"));
    // WHEN it is rotated twice
    assertTrue(auth().rotateRefreshToken("t1", T0.plusSeconds(5), token("t2", "f1")));
    assertFalse(auth().rotateRefreshToken("t1", T0.plusSeconds(6), token("t3", "f1")));
    // THEN only the first rotation saved a successor
    assertEquals(T0.plusSeconds(5), auth().findRefreshToken("t1").orElseThrow().usedAt());
    assertTrue(auth().findRefreshToken("t2").isPresent());
    assertEquals(Optional.empty(), auth().findRefreshToken("t3"));
    // AND revoking the family revokes every token of it, durably
    assertEquals(2, auth().revokeFamily("f1"));
    reopen();
    assertEquals(Set.of("f1"), auth().revokedFamilies());
    assertFalse(auth().rotateRefreshToken("t2", T0.plusSeconds(7), token("t4", "f1")));
    // AND purging drops the expired tokens
    assertEquals(2, auth().purge(T0.plusSeconds(7200)));
    assertEquals(Set.of(), auth().revokedFamilies());
  }

  private AuthStore auth() {
    return store.auth();
  }
}
