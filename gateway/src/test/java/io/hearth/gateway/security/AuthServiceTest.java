package io.hearth.gateway.security;

import io.hearth.gateway.TestTransports;
import static io.hearth.gateway.security.TestGateway.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.domain.UnauthenticatedException;
import io.hearth.gateway.store.AsyncStore;
import io.hearth.gateway.store.SqliteStore;
import io.hearth.gateway.testing.MovingClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Expiry of invites and refresh tokens, on a real SQLite store with a clock the test moves. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AuthServiceTest {
  @TempDir Path tmp;
  private Vertx vertx;
  private AsyncStore store;
  private final MovingClock clock = new MovingClock(Instant.parse("2026-11-25T10:00:00Z"));
  private AuthService auth;


  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    store = new AsyncStore(vertx, new SqliteStore(tmp, TestTransports.standard()));
    await(store.open());
    auth = new AuthService(store, AccessTokens.jwtAuth(vertx, Secrets.token(32)), clock, AccessTokens.DEFAULT_TTL,
        "ABCD-EFGH");
    await(auth.start());
  }

  @AfterEach
  void stop() throws Exception {
    await(store.close());
    await(vertx.close());
  }

  private Principal owner() throws Exception {
    AuthService.Session s = await(auth.pair("abcd-efgh", "owner"));
    return AccessTokens.principal(s.user(), "session");
  }

  @Test
  void anInviteWorksOnceWithinItsDayAndNotAfter() throws Exception {
    Principal owner = owner();
    // GIVEN two invites made now
    String late = await(auth.invite(owner, Role.MEMBER, List.of())).code();
    AuthService.Invite guest = await(auth.invite(owner, Role.GUEST, List.of("lamp")));
    assertEquals(clock.instant().plus(AuthService.INVITE_TTL), guest.expiresAt());
    // WHEN one is used just before it expires THEN it pairs a guest with its devices, once
    clock.advance(AuthService.INVITE_TTL.minusSeconds(1));
    AuthService.Session s = await(auth.pair(guest.code(), "guest"));
    assertEquals("guest", s.user().role());
    assertEquals(List.of("lamp"), s.user().devices());
    Principal p = AccessTokens.principal(auth.user(s.user().id()).orElseThrow(), "s");
    assertTrue(p.canSee().test("lamp"));
    assertTrue(!p.canSee().test("other"));
    assertUnauthorized(auth.pair(guest.code(), "again"));
    // WHEN the other is used after its expiry THEN it is refused, and the purge drops both
    clock.advance(Duration.ofSeconds(2));
    assertUnauthorized(auth.pair(late, "late"));
    assertEquals(2, (int) await(auth.purge()));
    // the first pairing code never expires and is never purged: still used
    assertUnauthorized(auth.pair("ABCD-EFGH", "again"));
  }

  @Test
  void aRefreshTokenExpiresAfter30DaysUnused() throws Exception {
    AuthService.Session s = await(auth.pair("ABCD-EFGH", "owner"));
    clock.advance(Duration.ofDays(29));
    AuthService.Session next = await(auth.refresh(s.refreshToken()));
    clock.advance(AuthService.REFRESH_TTL.plusSeconds(1));
    assertUnauthorized(auth.refresh(next.refreshToken()));
  }

  private static void assertUnauthorized(Future<?> f) {
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> await(f));
    assertInstanceOf(UnauthenticatedException.class, e.getCause());
  }
}
