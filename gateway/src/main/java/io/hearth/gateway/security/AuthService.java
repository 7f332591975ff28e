package io.hearth.gateway.security;

import io.hearth.gateway.domain.UnauthenticatedException;
import io.hearth.gateway.store.AsyncStore;
import io.hearth.gateway.store.AuthCodeRecord;
import io.hearth.gateway.store.AuthStore;
import io.hearth.gateway.store.RefreshTokenRecord;
import io.hearth.gateway.store.UserRecord;
import io.vertx.core.Future;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pairing, refresh-token rotation and invites. Every code and token is kept only as a SHA-256
 * hash and looked up by it; a refresh token is {@code <id>.<secret>}, its secret compared in
 * constant time.
 *
 * <ul>
 *   <li>The first pairing code (from {@code auth.pairingCode} or {@code data/pairing-code}) pairs
 *       an owner, once: the store remembers it used, across restarts.</li>
 *   <li>An invite code pairs one member or guest, once, within its lifetime ({@link #INVITE_TTL} unless configured).</li>
 *   <li>A refresh token works once: {@link #refresh} returns a new pair and retires it. Using a
 *       retired one again revokes its whole session (someone copied it): its refresh token and
 *       its access tokens stop working at once.</li>
 * </ul>
 * Store calls run on the store's worker; the user cache is safe to read from any thread.
 */
public final class AuthService {
  /** How long an invite code can be used (default of {@code auth.inviteHours}). */
  public static final Duration INVITE_TTL = Duration.ofHours(24);
  /** How long a refresh token works if not used, each use issuing a new one (default of {@code auth.refreshTokenDays}). */
  public static final Duration REFRESH_TTL = Duration.ofDays(30);
  private static final Logger LOG = LoggerFactory.getLogger(AuthService.class);

  private final AsyncStore store;
  private final Clock clock;
  private final String pairingCodeHash;
  private final AccessTokens tokens;
  private final Duration refreshTtl;
  private final Duration inviteTtl;
  private final Map<String, UserRecord> users = new ConcurrentHashMap<>();
  private final Set<String> revokedSessions = ConcurrentHashMap.newKeySet();
  private volatile boolean pairingCodeUsed;

  /** Tokens issued by pairing or refreshing. */
  public record Session(String accessToken, String refreshToken, int expiresIn, UserRecord user) {
    @Override
    public String toString() {
      return "Session[user=" + user.id() + "]";
    }
  }

  /** An invite: the code to hand over (shown once) and when it expires. */
  public record Invite(String code, Role role, Instant expiresAt) {
    @Override
    public String toString() {
      return "Invite[role=" + role + ", expiresAt=" + expiresAt + "]";
    }
  }

  public AuthService(AsyncStore store, JWTAuth jwt, Clock clock, Duration accessTtl, String pairingCode) {
    this(store, jwt, clock, accessTtl, REFRESH_TTL, INVITE_TTL, pairingCode);
  }

  /** With the configured lifetimes ({@code auth.accessTokenMinutes}, {@code refreshTokenDays}, {@code inviteHours}). */
  public AuthService(AsyncStore store, JWTAuth jwt, Clock clock, Duration accessTtl, Duration refreshTtl,
      Duration inviteTtl, String pairingCode) {
    this.refreshTtl = Objects.requireNonNull(refreshTtl, "refreshTtl");
    this.inviteTtl = Objects.requireNonNull(inviteTtl, "inviteTtl");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pairingCodeHash = Secrets.sha256(Secrets.normaliseCode(Objects.requireNonNull(pairingCode, "pairingCode")));
    this.tokens = new AccessTokens(jwt, clock, accessTtl, this::user, revokedSessions::contains);
  }

  /** Registers the first pairing code (unless known) and loads the users. */
  public Future<Void> start() {
    Instant now = clock.instant();
    return store.call(s -> {
      s.auth().addCode(new AuthCodeRecord(pairingCodeHash, Role.OWNER.wireName(), List.of(), null, now, null, null));
      boolean used = s.auth().findCode(pairingCodeHash).map(c -> c.usedAt() != null).orElse(false);
      revokedSessions.addAll(s.auth().revokedFamilies());
      List<UserRecord> all = s.auth().users();
      return Map.entry(used, all);
    }).map(r -> {
      pairingCodeUsed = r.getKey();
      r.getValue().forEach(u -> users.put(u.id(), u));
      LOG.info("auth ready [users: {}, pairingCodeUsed: {}]", users.size(), pairingCodeUsed);
      return null;
    });
  }

  /** Checks access tokens. */
  public TokenVerifier verifier() {
    return tokens;
  }

  /** True once the first pairing code paired someone. */
  public boolean pairingCodeUsed() {
    return pairingCodeUsed;
  }

  /** The user, as it is now. */
  public Optional<UserRecord> user(String id) {
    return Optional.ofNullable(users.get(id));
  }

  /** Pairs a new user with a pairing or invite code; fails UNAUTHORIZED for an unknown, used or expired code. */
  public Future<Session> pair(String code, String client) {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(client, "client");
    String hash = Secrets.sha256(Secrets.normaliseCode(code));
    String userId = UUID.randomUUID().toString();
    Instant now = clock.instant();
    return store.call(s -> s.auth().redeemCode(hash, now, userId, client.strip())).compose(created -> {
      if (created.isEmpty()) {
        return Future.failedFuture(unauthorized("the code is unknown, used or expired"));
      }
      UserRecord user = created.get();
      users.put(user.id(), user);
      if (hash.equals(pairingCodeHash)) {
        pairingCodeUsed = true;
      }
      LOG.info("user paired [user: {}, role: {}]", user.id(), user.role());
      return newSession(user, UUID.randomUUID().toString());
    });
  }

  private enum Outcome { OK, INVALID, REUSED }

  private record Rotation(Outcome outcome, RefreshTokenRecord token) {}

  /**
   * Exchanges a refresh token for a new pair; the old one is retired. A retired one used again
   * revokes its whole session. Fails UNAUTHORIZED for anything but the current token of a live
   * session.
   */
  public Future<Session> refresh(String refreshToken) {
    Objects.requireNonNull(refreshToken, "refreshToken");
    int dot = refreshToken.indexOf('.');
    if (dot <= 0 || dot == refreshToken.length() - 1) {
      return Future.failedFuture(unauthorized("the refresh token is not valid"));
    }
    String id = refreshToken.substring(0, dot);
    String secretHash = Secrets.sha256(refreshToken.substring(dot + 1));
    Instant now = clock.instant();
    String nextSecret = Secrets.token(32);
    return store.call(s -> rotate(s.auth(), id, secretHash, now, nextSecret)).compose(r -> {
      switch (r.outcome()) {
        case OK:
          UserRecord user = users.get(r.token().userId());
          LOG.debug("refresh token rotated [user: {}, session: {}]", user.id(), r.token().family());
          return Future.succeededFuture(new Session(tokens.issue(user, r.token().family()),
              r.token().id() + "." + nextSecret, tokens.ttlSeconds(), user));
        case REUSED:
          revokedSessions.add(r.token().family());
          LOG.warn("a retired refresh token was used again: session revoked [user: {}, session: {}]",
              r.token().userId(), r.token().family());
          return Future.failedFuture(unauthorized("the refresh token was already used; the session is revoked"));
        default:
          return Future.failedFuture(unauthorized("the refresh token is not valid"));
      }
    });
  }

  /** Runs on the store thread: one decision and its writes, with no other store call in between. */
  private Rotation rotate(AuthStore s, String id, String secretHash, Instant now, String nextSecret) {
    Optional<RefreshTokenRecord> found = s.findRefreshToken(id);
    if (found.isEmpty() || !Secrets.constantTimeEquals(found.get().secretHash(), secretHash)
        || found.get().revoked() || !users.containsKey(found.get().userId())) {
      return new Rotation(Outcome.INVALID, null);
    }
    RefreshTokenRecord old = found.get();
    if (old.usedAt() != null) {
      s.revokeFamily(old.family());
      return new Rotation(Outcome.REUSED, old);
    }
    if (!old.expiresAt().isAfter(now)) {
      return new Rotation(Outcome.INVALID, null);
    }
    RefreshTokenRecord next = new RefreshTokenRecord(Secrets.token(16), Secrets.sha256(nextSecret), old.userId(),
        old.family(), now, now.plus(refreshTtl), null, false);
    if (!s.rotateRefreshToken(old.id(), now, next)) {
      s.revokeFamily(old.family());
      return new Rotation(Outcome.REUSED, old);
    }
    return new Rotation(Outcome.OK, next);
  }

  /** Makes an invite for a member or a guest (with the devices it may see). */
  public Future<Invite> invite(Principal by, Role role, List<String> devices) {
    Objects.requireNonNull(by, "by");
    if (role == Role.OWNER) {
      throw new IllegalArgumentException("owners are not invited");
    }
    String code = Secrets.code(3);
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    Instant expires = now.plus(inviteTtl);
    AuthCodeRecord record = new AuthCodeRecord(Secrets.sha256(Secrets.normaliseCode(code)), role.wireName(),
        role == Role.GUEST ? devices : List.of(), by.userId(), now, expires, null);
    return store.call(s -> s.auth().addCode(record)).compose(added -> added
        ? Future.succeededFuture(new Invite(code, role, expires))
        : Future.failedFuture(new IllegalStateException("invite code collision"))) // 2^60 codes: never
        .onSuccess(i -> LOG.info("invite created [by: {}, role: {}, devices: {}]", by.userId(), role.wireName(),
            record.devices().size()));
  }

  /** Deletes expired invites and refresh tokens. */
  public Future<Integer> purge() {
    Instant now = clock.instant();
    return store.call(s -> s.auth().purge(now));
  }

  private Future<Session> newSession(UserRecord user, String family) {
    Instant now = clock.instant();
    String secret = Secrets.token(32);
    RefreshTokenRecord refresh = new RefreshTokenRecord(Secrets.token(16), Secrets.sha256(secret), user.id(), family,
        now, now.plus(refreshTtl), null, false);
    return store.run(s -> s.auth().saveRefreshToken(refresh)).map(v -> new Session(tokens.issue(user, family),
        refresh.id() + "." + secret, tokens.ttlSeconds(), user));
  }

  static UnauthenticatedException unauthorized(String detail) {
    return new UnauthenticatedException(detail);
  }
}
