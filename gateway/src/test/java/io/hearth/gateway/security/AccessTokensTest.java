package io.hearth.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.store.UserRecord;
import io.hearth.gateway.testing.MovingClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Access token checks: what is accepted and the forgeries that are not. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AccessTokensTest {
  static Vertx vertx;
  static final String KEY = Secrets.token(32);
  static final UserRecord ALICE = new UserRecord("u1", "Alice", "guest", List.of("lamp"), Instant.EPOCH);
  static AccessTokens tokens;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    tokens = new AccessTokens(AccessTokens.jwtAuth(vertx, KEY), Clock.systemUTC(), AccessTokens.DEFAULT_TTL,
        id -> Optional.ofNullable(Map.of("u1", ALICE).get(id)), Set.of("revoked")::contains);
  }

  @AfterAll
  static void stop() throws Exception {
    TestGateway.await(vertx.close());
  }

  private static String sign(String key, JsonObject claims, String issuer) {
    JWTAuth jwt = AccessTokens.jwtAuth(vertx, key);
    return jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setIssuer(issuer)
        .setAudience(List.of(AccessTokens.AUDIENCE)));
  }

  private static JsonObject live() {
    return new JsonObject().put("sub", "u1").put("sid", "s1").put("exp", System.currentTimeMillis() / 1000 + 600);
  }

  @Test
  void anIssuedTokenGivesTheUserAsItIsNow() {
    Principal p = tokens.verify(tokens.issue(ALICE, "s1")).orElseThrow();
    assertEquals("u1", p.userId());
    assertEquals(Role.GUEST, p.role());
    assertEquals("s1", p.session());
    assertTrue(p.canSee().test("lamp"));
    assertTrue(!p.canSee().test("door"));
    assertEquals(900, tokens.ttlSeconds());
  }

  @Test
  void aRememberedSignatureStillExpiresFollowsRevocationAndTheUser() {
    // GIVEN tokens on a hand-moved clock, a user table and a revocation list that change
    MovingClock clock = new MovingClock(Instant.now());
    Map<String, UserRecord> users = new ConcurrentHashMap<>(Map.of("u1", ALICE));
    Set<String> revoked = ConcurrentHashMap.newKeySet();
    AccessTokens remembering = new AccessTokens(AccessTokens.jwtAuth(vertx, KEY), clock, AccessTokens.DEFAULT_TTL,
        id -> Optional.ofNullable(users.get(id)), revoked::contains);
    String token = remembering.issue(ALICE, "s1");
    // WHEN it is verified once (its signature is now remembered)
    assertTrue(remembering.verify(token).isPresent());
    // THEN revoking the session refuses it at once, and lifting the revocation lets it back
    revoked.add("s1");
    assertEquals(Optional.empty(), remembering.verify(token));
    revoked.clear();
    assertTrue(remembering.verify(token).isPresent());
    // AND the user's role change shows at the next request; a removed user is refused
    users.put("u1", new UserRecord("u1", "Alice", "member", List.of(), Instant.EPOCH));
    assertEquals(Role.MEMBER, remembering.verify(token).orElseThrow().role());
    users.remove("u1");
    assertEquals(Optional.empty(), remembering.verify(token));
    users.put("u1", ALICE);
    // AND past its lifetime it is refused although its signature was remembered
    clock.advance(AccessTokens.DEFAULT_TTL.plusSeconds(1));
    assertEquals(Optional.empty(), remembering.verify(token));
  }

  @Test
  void forgeriesAndLeftoversAreRefused() {
    String good = sign(KEY, live(), AccessTokens.ISSUER);
    assertTrue(tokens.verify(good).isPresent());
    String[] parts = good.split("\\.");
    String noneHeader = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    String otherUser = b64(live().put("sub", "u2").encode());
    List<String> bad = List.of(
        sign(Secrets.token(32), live(), AccessTokens.ISSUER),                        // another key
        sign(KEY, live(), "someone-else"),                                            // another issuer
        sign(KEY, live().put("exp", System.currentTimeMillis() / 1000 - 1), AccessTokens.ISSUER), // expired
        sign(KEY, new JsonObject().put("sub", "u1").put("sid", "s1"), AccessTokens.ISSUER),       // no exp
        sign(KEY, live().put("sub", "gone"), AccessTokens.ISSUER),                    // user removed
        sign(KEY, live().put("sid", "revoked"), AccessTokens.ISSUER),                 // session revoked
        sign(KEY, live().put("sid", null), AccessTokens.ISSUER),                      // no session
        noneHeader + "." + parts[1] + ".",                                            // alg none
        parts[0] + "." + otherUser + "." + parts[2],                                  // payload swapped
        parts[0] + "." + parts[1],                                                    // no signature
        "", "garbage", "a.b.c");
    for (String token : bad) {
      assertEquals(Optional.empty(), tokens.verify(token), token);
    }
  }

  @Test
  void onlyBearerHeadersCarryATokenAndTheOriginCheckerAllowsOnlyListedBrowsers() {
    assertEquals("abc", AccessGuard.bearer("Bearer abc"));
    assertEquals("abc", AccessGuard.bearer("bearer  abc "));
    assertEquals(null, AccessGuard.bearer("Basic abc"));
    assertEquals(null, AccessGuard.bearer("Bearer "));
    assertEquals(null, AccessGuard.bearer(null));
    OriginChecker none = new OriginChecker(List.of());
    assertTrue(none.allowed(null));
    assertTrue(!none.allowed("https://evil.example"));
    OriginChecker listed = new OriginChecker(List.of("https://app.example.com/", "http://localhost:3000"));
    assertTrue(listed.allowed("https://APP.example.com"));
    assertTrue(listed.allowed("http://localhost:3000"));
    assertTrue(!listed.allowed("http://localhost:3001"));
    assertTrue(!listed.allowed("https://app.example.com.evil.example"));
    assertTrue(new OriginChecker(List.of("*")).allowed("https://anything.example"));
  }

  @Test
  void theRateLimiterAllowsABurstThenRefillsAtItsRate() {
    long[] now = {0};
    RateLimiter limiter = new RateLimiter(2, 3, 2, () -> now[0]);
    assertEquals(0, limiter.acquire("a"));
    assertEquals(0, limiter.acquire("a"));
    assertEquals(0, limiter.acquire("a"));
    assertEquals(1, limiter.acquire("a"));        // empty: half a second to the next token, rounded up
    assertEquals(0, limiter.acquire("b"));        // another key has its own bucket
    now[0] += 500_000_000L;                       // half a second later: one token back
    assertEquals(0, limiter.acquire("a"));
    assertEquals(1, limiter.acquire("a"));
    RateLimiter slow = new RateLimiter(1 / 12.0, 1, 10, () -> now[0]);
    assertEquals(0, slow.acquire("x"));
    assertEquals(12, slow.acquire("x"));
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
