package io.hearth.gateway.security;

import io.hearth.gateway.store.UserRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Short-lived access tokens: JWTs signed with HS256 under a 256-bit key made once and kept in
 * {@code <data.dir>/}{@value #KEY_FILE} (owner-only). Claims: {@code iss} hearth, {@code aud}
 * hearth-app, {@code sub} user id, {@code sid} session, {@code jti} (random), {@code iat}, {@code exp}. The role and the
 * guest's devices are NOT in the token: they are read from the user at each check, so a token of a
 * removed user, or of a revoked session, stops working at once. Deleting the key file logs every client out.
 */
public final class AccessTokens implements TokenVerifier {
  /** The default lifetime of an access token. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);
  static final String KEY_FILE = "jwt-hs256.key";
  static final String ISSUER = "hearth";
  static final String AUDIENCE = "hearth-app";
  private static final Logger LOG = LoggerFactory.getLogger(AccessTokens.class);

  private final JWTAuth jwt;
  private final Clock clock;
  private final Duration ttl;
  private final Function<String, Optional<UserRecord>> users;
  private final Predicate<String> sessionRevoked;
  /**
   * Tokens whose signature was checked, with their claims: an app sends the same token with every
   * request for its 15 minutes, and the HMAC check and the two JSON decodes were a tenth of the
   * REST edge's time. Bounded (starts over at {@value #MAX_VERIFIED}); the key lives as long as the
   * process, so a remembered signature stays valid.
   */
  private final Map<String, Claims> verified = new ConcurrentHashMap<>();
  static final int MAX_VERIFIED = 4096;

  /**
   * @param users          the user of an id, as it is now
   * @param sessionRevoked whether a session was revoked: its access tokens stop working at once
   */
  AccessTokens(JWTAuth jwt, Clock clock, Duration ttl, Function<String, Optional<UserRecord>> users,
      Predicate<String> sessionRevoked) {
    this.jwt = Objects.requireNonNull(jwt, "jwt");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.users = Objects.requireNonNull(users, "users");
    this.sessionRevoked = Objects.requireNonNull(sessionRevoked, "sessionRevoked");
  }

  /**
   * Reads the signing key from the data folder, creating it at the first start. Blocking (file
   * I/O): call off the event loop.
   */
  static JWTAuth loadKey(Vertx vertx, Path dataDir) throws IOException {
    Path file = dataDir.resolve(KEY_FILE);
    String secret;
    if (Files.exists(file)) {
      secret = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (secret.length() < 43) {
        throw new IOException(file + " holds no valid key; delete it to make a new one (logs every client out)");
      }
    } else {
      secret = Secrets.token(32);
      Secrets.writePrivate(file, secret.getBytes(StandardCharsets.US_ASCII));
      LOG.info("token signing key created [file: {}]", file);
    }
    return jwtAuth(vertx, secret);
  }

  /** A JWTAuth for HS256 with this secret (tests use it to forge tokens with a known key). */
  static JWTAuth jwtAuth(Vertx vertx, String secret) {
    return JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))
        .setJWTOptions(new JWTOptions().setIssuer(ISSUER).setAudience(List.of(AUDIENCE))));
  }

  /** Seconds an access token lives. */
  public int ttlSeconds() {
    return (int) ttl.toSeconds();
  }

  /** A new access token for this user's session. */
  String issue(UserRecord user, String session) {
    long now = clock.millis() / 1000;
    return jwt.generateToken(new JsonObject().put("sid", session).put("jti", Secrets.token(12)).put("iat", now)
            .put("exp", now + ttlSeconds()),
        new JWTOptions().setAlgorithm("HS256").setIssuer(ISSUER).setAudience(List.of(AUDIENCE)).setSubject(user.id())
            .setNoTimestamp(true));
  }

  @Override
  public Optional<Principal> verify(String bearerToken) {
    if (bearerToken == null || bearerToken.isEmpty() || bearerToken.length() > 4096) {
      return Optional.empty();
    }
    Claims claims = verified.get(bearerToken);
    if (claims == null) {
      claims = checkSignature(bearerToken);
      if (claims == null) {
        return Optional.empty();
      }
      if (verified.size() >= MAX_VERIFIED) {
        verified.clear();
      }
      verified.put(bearerToken, claims);
    }
    // expiry, revocation and the user are checked at every request, cached signature or not
    String sid = claims.sid();
    if (claims.exp() * 1000 <= clock.millis() || sessionRevoked.test(sid)) {
      return Optional.empty();
    }
    return users.apply(claims.sub()).map(u -> principal(u, sid));
  }

  /** The claims of a token whose signature, issuer and audience hold; null if any does not. */
  private Claims checkSignature(String bearerToken) {
    Future<User> checked = jwt.authenticate(new TokenCredentials(bearerToken));
    // JWTAuth checks HS256 tokens synchronously; anything else is refused rather than waited for
    if (!checked.succeeded()) {
      return null;
    }
    JsonObject claims = payload(bearerToken);
    if (claims == null) {
      return null;
    }
    Long exp = claims.getLong("exp");
    String sub = claims.getString("sub");
    String sid = claims.getString("sid");
    return exp == null || sub == null || sid == null ? null : new Claims(sub, sid, exp);
  }

  /** What a verified token says; only the signature check is remembered, never the verdict. */
  private record Claims(String sub, String sid, long exp) {}

  /** The principal of a user as it is now. */
  static Principal principal(UserRecord user, String session) {
    Role role = Role.of(user.role()).orElse(Role.GUEST);
    Set<String> devices = Set.copyOf(user.devices());
    return new Principal(user.id(), user.name(), role,
        role == Role.GUEST ? devices::contains : id -> true, session);
  }

  private static JsonObject payload(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return null;
    }
    try {
      return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
