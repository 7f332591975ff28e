package io.hearth.gateway.security;

import io.hearth.gateway.api.ApiException;
import io.hearth.gateway.api.ApiGuard;
import io.hearth.gateway.api.ErrorCode;
import io.hearth.gateway.api.Problems;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.SecurityRequirement;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Enforces the document's security on every operation of the app API:
 * <ol>
 *   <li>{@link #authenticate}: an operation whose {@code security} is not empty needs
 *       {@code Authorization: Bearer <accessToken>}; missing, malformed, forged or expired → 401
 *       UNAUTHORIZED with {@code WWW-Authenticate}. Operations added to the document later are
 *       covered by the document's global {@code security}.</li>
 *   <li>{@link #authorize}: a device named by a path parameter marked
 *       {@code x-hearth-not-found: DEVICE_NOT_FOUND} that the token may not see → 404
 *       DEVICE_NOT_FOUND (never 403); then a role outside the operation's
 *       {@code bearerAuth: [roles…]} → 403 FORBIDDEN; then, for an operation marked
 *       {@code x-hearth-rate-limit: command}, the session's command budget is handed to the
 *       handler ({@link #commandBudget}), which spends it only when a command is created (429
 *       RATE_LIMITED with {@code Retry-After} when spent; a replayed idempotency key is free).</li>
 * </ol>
 * The principal is then in the context ({@link #principal(RoutingContext)}).
 */
public final class AccessGuard implements ApiGuard {
  /** Routing context key of the {@link Principal}. */
  public static final String PRINCIPAL = "hearth.principal";
  static final String SCHEME = "bearerAuth";
  static final String RATE_LIMIT_EXTENSION = "x-hearth-rate-limit";
  private static final String BUDGET = "hearth.commandBudget";
  static final String NOT_FOUND_EXTENSION = "x-hearth-not-found";
  private static final String CHALLENGE = "Bearer realm=\"hearth\"";

  private final TokenVerifier verifier;
  private final RateLimiter commands;

  public AccessGuard(TokenVerifier verifier, RateLimiter commands) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.commands = Objects.requireNonNull(commands, "commands");
  }

  /** The principal of an authenticated request. */
  public static Optional<Principal> principal(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(PRINCIPAL));
  }

  /** Which device ids the request's token may see (every id for an unauthenticated route). */
  public static Predicate<String> visibleDevices(RoutingContext ctx) {
    return principal(ctx).map(Principal::canSee).orElse(id -> true);
  }

  /**
   * Scopes a client's idempotency key to the user, so two users' keys never meet: the user id, a
   * NUL, the key; the key as it is for an unauthenticated request.
   */
  public static String scopedIdempotencyKey(RoutingContext ctx, String key) {
    return key == null ? null : principal(ctx).map(p -> p.userId() + '\u0000' + key).orElse(key);
  }

  /** The token of an {@code Authorization: Bearer …} header value; null if none. */
  static String bearer(String header) {
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = header.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  @Override
  public void authenticate(RoutingContext ctx, Operation operation) {
    if (operation == null || isPublic(operation)) {
      ctx.next();
      return;
    }
    String token = bearer(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    Optional<Principal> principal = token == null ? Optional.empty() : verifier.verify(token);
    if (principal.isEmpty()) {
      unauthorized(ctx, token == null ? "a bearer token is required" : "the bearer token is not valid or has expired",
          token != null);
      return;
    }
    ctx.put(PRINCIPAL, principal.get());
    ctx.next();
  }

  @Override
  public void authorize(RoutingContext ctx, Operation operation) {
    Principal p = ctx.get(PRINCIPAL);
    if (p == null) {
      ctx.next(); // a public operation
      return;
    }
    for (Parameter param : operation.getParameters()) {
      if (param.getIn() == Location.PATH
          && ErrorCode.DEVICE_NOT_FOUND.name().equals(String.valueOf(param.getExtensions().get(NOT_FOUND_EXTENSION)))) {
        String id = ctx.pathParam(param.getName());
        if (id != null && !p.canSee().test(id)) {
          Problems.send(ctx, ApiException.deviceNotFound(id));
          return;
        }
      }
    }
    Set<String> roles = roles(operation);
    if (!roles.isEmpty() && !roles.contains(p.role().wireName())) {
      Problems.send(ctx, new ApiException(ErrorCode.FORBIDDEN,
          "this needs the role " + String.join(" or ", roles) + "; the token's role is " + p.role().wireName()));
      return;
    }
    if ("command".equals(operation.getExtensions().get(RATE_LIMIT_EXTENSION))) {
      // spent by the handler only when a command is created: a replayed idempotency key spends nothing
      ctx.put(BUDGET, (LongSupplier) () -> commands.acquire(p.session()));
    }
    ctx.next();
  }

  /** Answers 401 UNAUTHORIZED with a {@code WWW-Authenticate} challenge (RFC 6750). */
  static void unauthorized(RoutingContext ctx, String detail, boolean invalidToken) {
    ctx.response().putHeader("WWW-Authenticate",
        invalidToken ? CHALLENGE + ", error=\"invalid_token\"" : CHALLENGE);
    Problems.send(ctx, new ApiException(ErrorCode.UNAUTHORIZED, detail));
  }

  /**
   * The session's command budget for an operation marked {@code x-hearth-rate-limit: command}: takes
   * one command, 0 to go on, else the whole seconds to wait. Unlimited for other requests.
   */
  public static LongSupplier commandBudget(RoutingContext ctx) {
    LongSupplier b = ctx.get(BUDGET);
    return b == null ? () -> 0 : b;
  }

  /** Answers 429 RATE_LIMITED with {@code Retry-After} in seconds. */
  public static void rateLimited(RoutingContext ctx, long retryAfterSeconds, String detail) {
    ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    Problems.send(ctx, new ApiException(ErrorCode.RATE_LIMITED, detail + "; retry after " + retryAfterSeconds + " s"));
  }

  /** No requirement, or an empty one ({@code security: []} or {@code - {}}): no token needed. */
  static boolean isPublic(Operation operation) {
    List<SecurityRequirement> reqs = operation.getSecurityRequirements();
    return reqs == null || reqs.isEmpty() || reqs.stream().anyMatch(SecurityRequirement::isEmpty);
  }

  /** The roles named in the operation's {@code bearerAuth} requirement; empty: any role. */
  static Set<String> roles(Operation operation) {
    Set<String> roles = new HashSet<>();
    for (SecurityRequirement r : operation.getSecurityRequirements()) {
      if (r.getNames().contains(SCHEME) && r.getScopes(SCHEME) != null) {
        roles.addAll(r.getScopes(SCHEME));
      }
    }
    return roles;
  }
}
