package io.hearth.gateway.security;

import io.hearth.gateway.api.ApiGuard;
import io.hearth.gateway.config.ConfigException;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.config.Limits;
import io.hearth.gateway.store.AsyncStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The security of the app API in one object, for the core to wire: the auth routes' handlers
 * ({@link #handlers()}), the guard of every route ({@link #guard()}), and for the WebSocket the
 * {@link #tokenVerifier()}, the {@link #origins()} checker and the shared command budget
 * ({@link #commandRetryAfter(Principal)}). Also the self-signed HTTPS certificate ({@link #tls()}).
 *
 * <pre>{@code
 * Security.start(vertx, config, store, pairingCode, clock, id -> registry.get(id).isPresent())
 *     .compose(security -> {
 *       ops.putAll(security.handlers());
 *       return ApiRouter.create(vertx, ops, limits, security.guard());
 *     });
 * }</pre>
 */
public final class Security {
  private final AuthService auth;
  private final SecurityLimits limits;
  private final AccessGuard guard;
  private final OriginChecker origins;
  private final Map<String, Handler<RoutingContext>> handlers;
  private final SelfSignedTls.Material tls;

  private Security(AuthService auth, SecurityLimits limits, OriginChecker origins, Predicate<String> deviceExists,
      SelfSignedTls.Material tls) {
    this.auth = auth;
    this.limits = limits;
    this.guard = new AccessGuard(auth.verifier(), limits.commands());
    this.origins = origins;
    this.handlers = new AuthHandlers(auth, limits, deviceExists).byOperationId();
    this.tls = tls;
  }

  /**
   * Loads (or makes) the token key and, with TLS on and no key store, the self-signed certificate
   * (on a worker), then the users. Call on the core's context once the store is open.
   *
   * @param pairingCode  the first pairing code ({@code PairingCode.ensure})
   * @param deviceExists whether a device id is registered (for guest invites)
   */
  public static Future<Security> start(Vertx vertx, GatewayConfig config, AsyncStore store, String pairingCode,
      Clock clock, Predicate<String> deviceExists) {
    return start(vertx, config, store, pairingCode, clock, deviceExists, SecurityLimits.defaults());
  }

  /** With other limits (tests). */
  public static Future<Security> start(Vertx vertx, GatewayConfig config, AsyncStore store, String pairingCode,
      Clock clock, Predicate<String> deviceExists, SecurityLimits limits) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(pairingCode, "pairingCode");
    Objects.requireNonNull(deviceExists, "deviceExists");
    Objects.requireNonNull(limits, "limits");
    GatewayConfig.Tls tlsConfig = config.http().tls();
    boolean selfSigned = tlsConfig.enabled() && tlsConfig.keyStore() == null;
    return vertx.executeBlocking(() -> {
      try {
        JWTAuth jwt = AccessTokens.loadKey(vertx, config.dataDir());
        SelfSignedTls.Material tls = selfSigned ? SelfSignedTls.ensure(config.dataDir(), config.http().host()) : null;
        return Map.entry(jwt, Optional.ofNullable(tls));
      } catch (IOException e) {
        throw new ConfigException("config key 'data.dir': " + e.getMessage());
      }
    }).compose(keys -> {
      Limits.Lifetimes life = config.limits().lifetimes();
      AuthService auth = new AuthService(store, keys.getKey(), clock, Duration.ofMinutes(life.accessTokenMinutes()),
          Duration.ofDays(life.refreshTokenDays()), Duration.ofHours(life.inviteHours()), pairingCode);
      return auth.start().map(v -> new Security(auth, limits, new OriginChecker(config.http().allowedOrigins()),
          deviceExists, keys.getValue().orElse(null)));
    });
  }

  /** Handlers of {@code pair}, {@code refreshToken} and {@code createInvite}, by operationId. */
  public Map<String, Handler<RoutingContext>> handlers() {
    return handlers;
  }

  /** The guard to give {@code ApiRouter.create}. */
  public ApiGuard guard() {
    return guard;
  }

  /** Checks access tokens (the WebSocket upgrade and its {@code auth} message). */
  public TokenVerifier tokenVerifier() {
    return auth.verifier();
  }

  /**
   * The WebSocket's authenticator: access tokens, the role's devices, idempotency keys per user and
   * the session's command budget shared with REST.
   */
  public TokenWsAuthenticator webSocketAuthenticator() {
    return new TokenWsAuthenticator(auth.verifier(), this::commandRetryAfter);
  }

  /** Checks the {@code Origin} of a WebSocket handshake against {@code http.allowedOrigins}. */
  public OriginChecker origins() {
    return origins;
  }

  /**
   * Takes one command from the session's budget (shared by REST and the WebSocket).
   *
   * @return 0 if allowed, else the seconds to wait (answer RATE_LIMITED)
   */
  public long commandRetryAfter(Principal principal) {
    return limits.commands().acquire(principal.session());
  }

  /** The self-signed certificate in use, when TLS is on without a configured key store. */
  public Optional<SelfSignedTls.Material> tls() {
    return Optional.ofNullable(tls);
  }

  /** True once the first pairing code paired the owner. */
  public boolean pairingCodeUsed() {
    return auth.pairingCodeUsed();
  }

  /** Deletes expired invites and refresh tokens; returns how many. */
  public Future<Integer> purge() {
    return auth.purge();
  }
}
