package io.hearth.gateway.http;

import io.hearth.adapter.BindingException;
import io.hearth.adapter.Transport;
import io.hearth.adapter.Transports;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.hearth.gateway.api.ApiRequest;
import io.hearth.gateway.api.CommandAnswer;
import io.hearth.gateway.api.Problems;
import io.hearth.gateway.command.CommandRequest;
import io.hearth.gateway.command.CommandService;
import io.hearth.gateway.core.DeviceJson;
import io.hearth.gateway.core.Timestamps;
import io.hearth.gateway.domain.DomainException;
import io.hearth.gateway.domain.RateLimitedException;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.registry.DeviceParser;
import io.hearth.gateway.registry.DeviceRegistry.RegisteredDevice;
import io.hearth.gateway.registry.DeviceRegistry;
import io.hearth.gateway.security.AccessGuard;
import io.hearth.gateway.state.DeviceStates;
import io.hearth.gateway.store.CommandRecord;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The app API's handlers, by OpenAPI operationId. Requests reach them already validated against
 * {@code docs/openapi.yaml}; they call the core and render its answers. Every failure goes through
 * {@link Problems} once.
 */
public final class ApiHandlers {
  private final DeviceRegistry registry;
  private final DeviceStates states;
  private final CommandService commands;
  private final Transports transports;
  private final Supplier<Future<Map<String, String>>> health;

  public ApiHandlers(DeviceRegistry registry, DeviceStates states, CommandService commands,
      Transports transports, Supplier<Future<Map<String, String>>> health) {
    this.registry = Objects.requireNonNull(registry);
    this.states = Objects.requireNonNull(states);
    this.commands = Objects.requireNonNull(commands);
    this.transports = Objects.requireNonNull(transports);
    this.health = Objects.requireNonNull(health);
  }

  /** The handlers by operationId. */
  public Map<String, Handler<RoutingContext>> byOperationId() {
    Map<String, Handler<RoutingContext>> m = new LinkedHashMap<>();
    m.put("listDevices", this::listDevices);
    m.put("getDevice", this::getDevice);
    m.put("registerDevice", this::registerDevice);
    m.put("deleteDevice", this::deleteDevice);
    m.put("listProfiles", this::listProfiles);
    m.put("sendCommand", this::sendCommand);
    m.put("getCommand", this::getCommand);
    m.put("health", this::health);
    return m;
  }

  private void listDevices(RoutingContext ctx) {
    String room = ctx.queryParams().get("room");
    String profile = ctx.queryParams().get("profile");
    java.util.function.Predicate<String> visible = AccessGuard.visibleDevices(ctx);
    JsonArray out = new JsonArray();
    for (RegisteredDevice d : registry.all()) {
      if (visible.test(d.id()) && (room == null || room.equals(d.definition().room()))
          && (profile == null || profile.equals(d.definition().profileId()))) {
        out.add(new JsonObject(DeviceJson.device(d, states.view(d.id()).orElse(null))));
      }
    }
    json(ctx, 200, new JsonObject().put("devices", out));
  }

  private void getDevice(RoutingContext ctx) {
    try {
      RegisteredDevice d = registry.require(ctx.pathParam("id"));
      json(ctx, 200, new JsonObject(DeviceJson.device(d, states.view(d.id()).orElse(null))));
    } catch (DomainException e) {
      Problems.send(ctx, e);
    }
  }

  private void registerDevice(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    DeviceParser.Result parsed = DeviceParser.parse(JacksonTrees.of(body), registry.profiles(), transports);
    if (!parsed.ok()) {
      Problems.send(ctx, ValidationException.of(parsed.errors()));
      return;
    }
    Transport.NewDevice prepared;
    try {
      // what the device's transport needs first (MQTT: generated credentials when none were given)
      prepared = transports.prepare(parsed.device());
    } catch (BindingException e) {
      Problems.send(ctx, ValidationException.of("binding." + e.key(), e.getMessage()));
      return;
    }
    DeviceDefinition def = prepared.device();
    reply(ctx, registry.add(def).map(d -> {
      JsonObject out = new JsonObject(DeviceJson.device(d, states.view(d.id()).orElse(null)));
      // e.g. generated credentials: shown once, here, and never listed again
      prepared.shownOnce().forEach(out::put);
      ctx.response().putHeader("Location", "/api/v1/devices/" + d.id());
      return out;
    }), 201);
  }

  private void deleteDevice(RoutingContext ctx) {
    try {
      Future<Void> f = registry.remove(ctx.pathParam("id"));
      f.onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(e -> Problems.send(ctx, e));
    } catch (DomainException e) {
      Problems.send(ctx, e);
    }
  }

  private void listProfiles(RoutingContext ctx) {
    JsonArray out = new JsonArray();
    for (Profile p : registry.profiles().values().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList()) {
      out.add(new JsonObject(DeviceJson.profile(p)));
    }
    json(ctx, 200, new JsonObject().put("profiles", out));
  }

  private void sendCommand(RoutingContext ctx) {
    JsonObject body = ApiRequest.body(ctx); // the validator's decoded body: not decoded a second time
    CommandRequest request = new CommandRequest(
        body.getJsonObject("set") == null ? null : body.getJsonObject("set").getMap(),
        body.getString("action"),
        body.getJsonObject("input") == null ? null : body.getJsonObject("input").getMap(),
        body.getInteger("timeoutMs"),
        body.getBoolean("wait", true),
        body.getString("deliverWhen"),
        body.getInteger("expiresInMs"));
    // scoped to the user: another user's identical key is another key
    String key = AccessGuard.scopedIdempotencyKey(ctx, ctx.request().getHeader("Idempotency-Key"));
    commands.submit(ctx.pathParam("id"), request, key, AccessGuard.commandBudget(ctx)).onComplete(r -> {
      if (r.failed() && r.cause() instanceof RateLimitedException limited) {
        AccessGuard.rateLimited(ctx, limited.retryAfterSeconds(), "too many commands from this session");
        return;
      }
      if (r.failed()) {
        Problems.send(ctx, r.cause());
        return;
      }
      CommandAnswer answer = CommandAnswer.of(r.result());
      ctx.response().setStatusCode(answer.httpStatus()).putHeader("Content-Type", answer.contentType())
          .end(answer.body().encode());
    });
  }

  private void getCommand(RoutingContext ctx) {
    try {
      reply(ctx, commands.find(ctx.pathParam("id"), ctx.pathParam("commandId")).map(r -> {
        JsonObject o = commandJson(r);
        java.time.Instant until = commands.waitsUntil(r.commandId());
        if (until != null) { // waits for the device's wake-up (docs/api.md#commands)
          o.put("deliverWhen", "nextWake").put("expiresAt", Timestamps.wire(until));
        }
        return o;
      }), 200);
    } catch (DomainException e) {
      Problems.send(ctx, e);
    }
  }

  static JsonObject commandJson(CommandRecord r) {
    JsonObject o = new JsonObject().put("commandId", r.commandId()).put("status", r.status().wireName());
    if (r.error() != null) {
      o.put("error", r.error());
    }
    o.put("createdAt", Timestamps.wire(r.createdAt()));
    if (r.completedAt() != null) {
      o.put("completedAt", Timestamps.wire(r.completedAt()));
    }
    return o;
  }

  private void health(RoutingContext ctx) {
    health.get().onSuccess(parts -> {
      boolean up = parts.values().stream().allMatch(s -> s.equals("up") || s.equals("off"));
      JsonObject body = new JsonObject().put("status", up ? "up" : "down");
      parts.forEach(body::put);
      json(ctx, up ? 200 : 503, body);
    }).onFailure(e -> Problems.send(ctx, e));
  }

  private static void reply(RoutingContext ctx, Future<JsonObject> f, int status) {
    f.onSuccess(b -> json(ctx, status, b)).onFailure(e -> Problems.send(ctx, e));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
  }
}
