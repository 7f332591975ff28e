package io.hearth.gateway.security;

import io.hearth.gateway.api.ApiRequest;
import io.hearth.gateway.api.Problems;
import io.hearth.gateway.domain.FieldError;
import io.hearth.gateway.domain.UnauthenticatedException;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.store.UserRecord;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The handlers of {@code POST /auth/pair}, {@code POST /auth/refresh} and
 * {@code POST /users/invites}, by operationId. Pairing and refreshing are limited per remote
 * address (and pairing also for all addresses together), so a pairing code cannot be guessed.
 */
final class AuthHandlers {
  private final AuthService auth;
  private final SecurityLimits limits;
  private final Predicate<String> deviceExists;

  AuthHandlers(AuthService auth, SecurityLimits limits, Predicate<String> deviceExists) {
    this.auth = Objects.requireNonNull(auth, "auth");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.deviceExists = Objects.requireNonNull(deviceExists, "deviceExists");
  }

  Map<String, Handler<RoutingContext>> byOperationId() {
    Map<String, Handler<RoutingContext>> m = new LinkedHashMap<>();
    m.put("pair", this::pair);
    m.put("refreshToken", this::refresh);
    m.put("createInvite", this::createInvite);
    return m;
  }

  private void pair(RoutingContext ctx) {
    String address = remote(ctx);
    long wait = Math.max(limits.pairingPerAddress().acquire(address), limits.pairingOverall().acquire("*"));
    if (wait > 0) {
      AccessGuard.rateLimited(ctx, wait, "too many pairing attempts");
      return;
    }
    JsonObject body = ApiRequest.body(ctx);
    answer(ctx, auth.pair(body.getString("code"), body.getString("client", "app")));
  }

  private void refresh(RoutingContext ctx) {
    long wait = limits.refreshPerAddress().acquire(remote(ctx));
    if (wait > 0) {
      AccessGuard.rateLimited(ctx, wait, "too many refresh attempts");
      return;
    }
    answer(ctx, auth.refresh(ApiRequest.body(ctx).getString("refreshToken")));
  }

  private void createInvite(RoutingContext ctx) {
    Principal owner = AccessGuard.principal(ctx).orElseThrow();
    JsonObject body = ApiRequest.body(ctx);
    Role role = Role.of(body.getString("role")).orElseThrow();
    JsonArray array = body.getJsonArray("devices", new JsonArray());
    List<String> devices = new ArrayList<>(new LinkedHashSet<>(array.stream().map(String::valueOf).toList()));
    List<FieldError> errors = new ArrayList<>();
    if (role == Role.GUEST && devices.isEmpty()) {
      errors.add(new FieldError("devices", "a guest needs at least one device"));
    }
    if (role != Role.GUEST && !devices.isEmpty()) {
      errors.add(new FieldError("devices", "only a guest is limited to devices; a member sees all"));
    }
    for (int i = 0; i < array.size(); i++) {
      if (role == Role.GUEST && !deviceExists.test(array.getString(i))) {
        errors.add(new FieldError("devices[" + i + "]", "no device '" + array.getString(i) + "'"));
      }
    }
    if (!errors.isEmpty()) {
      Problems.send(ctx, ValidationException.of(errors));
      return;
    }
    auth.invite(owner, role, devices).onSuccess(invite -> ctx.response().setStatusCode(201)
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("code", invite.code()).put("role", invite.role().wireName())
            .put("expiresAt", io.hearth.gateway.core.Timestamps.wire(invite.expiresAt())).encode()))
        .onFailure(e -> Problems.send(ctx, e));
  }

  private static void answer(RoutingContext ctx, Future<AuthService.Session> session) {
    session.onSuccess(s -> ctx.response().setStatusCode(200)
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
        .end(sessionJson(s).encode()))
        .onFailure(e -> {
          if (e instanceof UnauthenticatedException) {
            AccessGuard.unauthorized(ctx, e.getMessage(), false);
          } else {
            Problems.send(ctx, e);
          }
        });
  }

  static JsonObject sessionJson(AuthService.Session s) {
    UserRecord u = s.user();
    JsonObject user = new JsonObject().put("id", u.id()).put("name", u.name()).put("role", u.role());
    if (Role.GUEST.wireName().equals(u.role())) {
      user.put("devices", new JsonArray(u.devices()));
    }
    return new JsonObject().put("accessToken", s.accessToken()).put("refreshToken", s.refreshToken())
        .put("tokenType", "Bearer").put("expiresIn", s.expiresIn()).put("user", user);
  }

  private static String remote(RoutingContext ctx) {
    SocketAddress a = ctx.request().remoteAddress();
    if (a == null) {
      return "?";
    }
    return a.hostAddress() != null ? a.hostAddress() : String.valueOf(a.host());
  }
}
