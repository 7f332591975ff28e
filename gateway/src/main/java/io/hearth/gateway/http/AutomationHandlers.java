package io.hearth.gateway.http;

import io.hearth.gateway.api.ApiException;
import io.hearth.gateway.api.ErrorCode;
import io.hearth.gateway.api.Problems;
import io.hearth.gateway.automation.AutomationException;
import io.hearth.gateway.automation.Automations;
import io.hearth.gateway.automation.Rule;
import io.hearth.gateway.core.Timestamps;
import io.hearth.gateway.store.RunRecord;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code /automations} (docs/api.md, "Automations"; owners and members, guests get 403 from the
 * document's roles): list, create, get, replace, delete, enable, disable, trigger by hand, and
 * the recorded runs. A rule that does not parse is a 422 with one {@code errors} entry per field.
 */
public final class AutomationHandlers {
  static final int DEFAULT_RUNS = 20;

  private final Automations automations;

  public AutomationHandlers(Automations automations) {
    this.automations = Objects.requireNonNull(automations, "automations");
  }

  /** The handlers by operationId. */
  public Map<String, Handler<RoutingContext>> byOperationId() {
    Map<String, Handler<RoutingContext>> m = new LinkedHashMap<>();
    m.put("listAutomations", ctx -> {
      JsonArray out = new JsonArray();
      automations.all().forEach(r -> out.add(json(r)));
      reply(ctx, 200, new JsonObject().put("automations", out));
    });
    m.put("createAutomation", ctx -> answer(ctx, 201, () -> automations.create(JacksonTrees.of(body(ctx))).map(r -> {
      ctx.response().putHeader("Location", "/api/v1/automations/" + r.id());
      return json(r);
    })));
    m.put("getAutomation", ctx -> answer(ctx, 200, () -> Future.succeededFuture(json(automations.get(id(ctx))))));
    m.put("replaceAutomation", ctx -> answer(ctx, 200,
        () -> automations.replace(id(ctx), JacksonTrees.of(body(ctx))).map(this::json)));
    m.put("deleteAutomation", ctx -> answer(ctx, 204, () -> automations.delete(id(ctx)).map(v -> null)));
    m.put("enableAutomation", ctx -> answer(ctx, 200, () -> automations.setEnabled(id(ctx), true).map(this::json)));
    m.put("disableAutomation", ctx -> answer(ctx, 200, () -> automations.setEnabled(id(ctx), false).map(this::json)));
    m.put("triggerAutomation", ctx -> answer(ctx, 202, () -> {
      JsonObject b = ctx.body().isEmpty() ? new JsonObject() : body(ctx);
      String run = automations.trigger(id(ctx), b.getBoolean("checkConditions", false));
      return Future.succeededFuture("queued".equals(run) ? new JsonObject().put("status", "queued")
          : new JsonObject().put("status", "running").put("runId", run));
    }));
    m.put("listAutomationRuns", ctx -> answer(ctx, 200, () -> {
      String limit = ctx.queryParams().get("limit");
      return automations.runs(id(ctx), limit == null ? DEFAULT_RUNS : Integer.parseInt(limit)).map(runs -> {
        JsonArray out = new JsonArray();
        runs.forEach(r -> out.add(run(r)));
        return new JsonObject().put("runs", out);
      });
    }));
    return m;
  }

  private static String id(RoutingContext ctx) {
    return ctx.pathParam("automationId");
  }

  private static JsonObject body(RoutingContext ctx) {
    return ctx.body().asJsonObject();
  }

  private JsonObject json(Rule r) {
    JsonObject o = new JsonObject(new LinkedHashMap<>(r.definition()));
    o.put("id", r.id()).put("enabled", r.enabled()).put("mode", r.mode().wireName())
        .put("source", r.fromFile() ? "file" : "api");
    automations.stats(r.id()).ifPresent(s -> o.put("stats", new JsonObject(s)));
    return o;
  }

  static JsonObject run(RunRecord r) {
    JsonObject o = new JsonObject().put("runId", r.runId()).put("automationId", r.automationId())
        .put("status", r.status()).put("startedAt", Timestamps.wire(r.startedAt()));
    if (r.endedAt() != null) {
      o.put("endedAt", Timestamps.wire(r.endedAt()));
    }
    o.put("trigger", new JsonObject(r.trigger()));
    JsonArray steps = new JsonArray();
    r.steps().forEach(s -> steps.add(new JsonObject(s)));
    o.put("steps", steps);
    if (r.error() != null) {
      o.put("error", r.error());
    }
    return o;
  }

  /** Runs a handler's work; domain failures become problems once, here. */
  private static void answer(RoutingContext ctx, int status, java.util.function.Supplier<Future<?>> work) {
    Future<?> f;
    try {
      f = work.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onSuccess(b -> {
      if (status == 204) {
        ctx.response().setStatusCode(204).end();
      } else {
        reply(ctx, status, (JsonObject) b);
      }
    }).onFailure(e -> Problems.send(ctx, e instanceof AutomationException a ? problem(a) : e));
  }

  private static ApiException problem(AutomationException e) {
    return new ApiException(switch (e.reason()) {
      case NOT_FOUND -> ErrorCode.NOT_FOUND;
      case EXISTS, READ_ONLY, NOT_STARTED -> ErrorCode.CONFLICT;
    }, e.getMessage());
  }

  private static void reply(RoutingContext ctx, int status, JsonObject body) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
  }
}
