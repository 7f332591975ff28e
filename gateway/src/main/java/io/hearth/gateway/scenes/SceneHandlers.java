package io.hearth.gateway.scenes;

import io.hearth.gateway.api.ApiException;
import io.hearth.gateway.api.ApiRequest;
import io.hearth.gateway.api.CommandAnswer;
import io.hearth.gateway.api.ErrorCode;
import io.hearth.gateway.api.Problems;
import io.hearth.gateway.domain.RateLimitedException;
import io.hearth.gateway.scenes.SceneOutcome.DeviceOutcome;
import io.hearth.gateway.security.AccessGuard;
import io.hearth.gateway.security.Principal;
import io.hearth.gateway.security.Role;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code /scenes} routes (docs/scenes.md). Roles are in docs/openapi.yaml (owners and members
 * manage; every role lists, reads and activates); a guest sees and activates only scenes whose
 * devices are all shared with it (403 FORBIDDEN to activate another, 404 to read it).
 */
public final class SceneHandlers {
  private final SceneService scenes;

  public SceneHandlers(SceneService scenes) {
    this.scenes = Objects.requireNonNull(scenes, "scenes");
  }

  /** The handlers by operationId. */
  public Map<String, Handler<RoutingContext>> byOperationId() {
    Map<String, Handler<RoutingContext>> m = new LinkedHashMap<>();
    m.put("listScenes", this::list);
    m.put("createScene", this::create);
    m.put("getScene", this::get);
    m.put("updateScene", this::update);
    m.put("deleteScene", this::delete);
    m.put("activateScene", this::activate);
    return m;
  }

  private void list(RoutingContext ctx) {
    scenes.list().onSuccess(all -> {
      JsonArray out = new JsonArray();
      all.stream().filter(s -> visible(ctx, s)).forEach(s -> out.add(new JsonObject(s.toJson())));
      json(ctx, 200, new JsonObject().put("scenes", out));
    }).onFailure(e -> Problems.send(ctx, e));
  }

  private void get(RoutingContext ctx) {
    String id = ctx.pathParam("sceneId");
    scenes.get(id).onSuccess(s -> {
      if (s.isEmpty() || !visible(ctx, s.get())) {
        Problems.send(ctx, notFound(id));
      } else {
        json(ctx, 200, new JsonObject(s.get().toJson()));
      }
    }).onFailure(e -> Problems.send(ctx, e));
  }

  private void create(RoutingContext ctx) {
    scenes.create(spec(ApiRequest.body(ctx), null)).onSuccess(s -> {
      ctx.response().putHeader("Location", "/api/v1/scenes/" + s.id());
      json(ctx, 201, new JsonObject(s.toJson()));
    }).onFailure(e -> Problems.send(ctx, e));
  }

  private void update(RoutingContext ctx) {
    String id = ctx.pathParam("sceneId");
    scenes.update(id, spec(ApiRequest.body(ctx), id)).onSuccess(s -> {
      if (s.isEmpty()) {
        Problems.send(ctx, notFound(id));
      } else {
        json(ctx, 200, new JsonObject(s.get().toJson()));
      }
    }).onFailure(e -> Problems.send(ctx, e));
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("sceneId");
    scenes.delete(id).onSuccess(deleted -> {
      if (deleted) {
        ctx.response().setStatusCode(204).end();
      } else {
        Problems.send(ctx, notFound(id));
      }
    }).onFailure(e -> Problems.send(ctx, e));
  }

  private void activate(RoutingContext ctx) {
    String id = ctx.pathParam("sceneId");
    JsonObject body = ApiRequest.body(ctx); // optional: {"timeoutMs": …}
    String key = AccessGuard.scopedIdempotencyKey(ctx, ctx.request().getHeader("Idempotency-Key"));
    Principal who = AccessGuard.principal(ctx).orElse(null);
    scenes.activate(id, who, key, AccessGuard.commandBudget(ctx), body.getInteger("timeoutMs"))
        .onSuccess(outcome -> {
          if (outcome instanceof SceneOutcome.Activated a) {
            json(ctx, 200, activated(a));
          } else if (outcome instanceof SceneOutcome.Forbidden f) {
            Problems.send(ctx, new ApiException(ErrorCode.FORBIDDEN,
                "scene '" + id + "' sets device '" + f.deviceId() + "', which is not shared with this guest"));
          } else {
            Problems.send(ctx, notFound(id));
          }
        }).onFailure(e -> Problems.send(ctx, e));
  }

  /** 200 whatever the devices did: {@code status} and one entry per device (docs/scenes.md#activation). */
  static JsonObject activated(SceneOutcome.Activated a) {
    JsonArray devices = new JsonArray();
    for (DeviceOutcome d : a.devices()) {
      JsonObject o = new JsonObject().put("device", d.deviceId());
      if (d.result() != null) {
        CommandAnswer answer = CommandAnswer.of(d.result());
        o.put("status", d.result().status().wireName()).put("commandId", answer.body().getString("commandId"));
        if (answer.isError()) {
          o.put("code", answer.body().getString("code")).put("detail", answer.body().getString("detail"));
        }
      } else {
        ApiException refused = d.refused() instanceof RateLimitedException r
            ? new ApiException(ErrorCode.RATE_LIMITED, r.getMessage()) : Problems.toApiException(d.refused());
        o.put("status", "failed").put("code", refused.code().name()).put("detail", refused.getMessage());
      }
      devices.add(o);
    }
    return new JsonObject().put("scene", a.sceneId()).put("status", a.status()).put("devices", devices);
  }

  private static SceneService.SceneSpec spec(JsonObject body, String id) {
    Map<String, Map<String, Object>> targets = null;
    if (body.getJsonObject("targets") != null) {
      targets = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : body.getJsonObject("targets")) {
        targets.put(e.getKey(), ((JsonObject) e.getValue()).getMap());
      }
    }
    JsonArray capture = body.getJsonArray("capture");
    List<String> captured = capture == null ? null : capture.stream().map(String::valueOf).toList();
    return new SceneService.SceneSpec(id != null ? id : body.getString("id"), body.getString("name"), targets, captured);
  }

  private static boolean visible(RoutingContext ctx, Scene s) {
    Principal p = AccessGuard.principal(ctx).orElse(null);
    return p == null || p.role() != Role.GUEST || s.targets().keySet().stream().allMatch(p.canSee());
  }

  private static ApiException notFound(String id) {
    return new ApiException(ErrorCode.NOT_FOUND, "no scene '" + id + "'");
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
  }
}
