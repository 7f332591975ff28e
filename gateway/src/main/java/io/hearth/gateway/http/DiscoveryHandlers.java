package io.hearth.gateway.http;

import io.hearth.adapter.Discovered;
import io.hearth.gateway.api.Problems;
import io.hearth.gateway.coap.Discovery;
import io.hearth.gateway.core.DeviceJson;
import io.hearth.gateway.core.Timestamps;
import io.hearth.gateway.discovery.Approvals;
import io.hearth.gateway.discovery.PendingDevices;
import io.hearth.gateway.state.DeviceStates;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * App API handlers of discovery: {@code listDiscovered} (GET /discovery: devices pending approval,
 * from every source) and {@code approveDevice} (POST /devices/{id}/approve). docs/discovery.md.
 */
public final class DiscoveryHandlers {
  /** Fields a {@code coap-rd} entry also has at the top level, as before there were other sources. */
  private static final List<String> RD_FIELDS = List.of("uri", "registeredAt", "expiresAt");

  private final PendingDevices pending;
  private final Approvals approvals;
  private final DeviceStates states;

  public DiscoveryHandlers(PendingDevices pending, Approvals approvals, DeviceStates states) {
    this.pending = Objects.requireNonNull(pending);
    this.approvals = Objects.requireNonNull(approvals);
    this.states = Objects.requireNonNull(states);
  }

  /** The handlers by operationId. */
  public Map<String, Handler<RoutingContext>> byOperationId() {
    Map<String, Handler<RoutingContext>> m = new LinkedHashMap<>();
    m.put("listDiscovered", this::listDiscovered);
    m.put("approveDevice", this::approveDevice);
    return m;
  }

  private void listDiscovered(RoutingContext ctx) {
    JsonArray out = new JsonArray();
    for (Discovered d : pending.pending()) {
      out.add(json(d));
    }
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("pending", out).encode());
  }

  static JsonObject json(Discovered d) {
    JsonObject o = new JsonObject().put("id", d.suggestedId()).put("source", d.source()).put("key", d.key());
    if (d.name() != null) {
      o.put("name", d.name());
    }
    o.put("profile", d.profile()); // null: nothing fits, the approval must name one
    o.put("protocol", d.binding().get("protocol"));
    o.put("binding", new JsonObject(new LinkedHashMap<>(d.binding())));
    o.put("details", new JsonObject(new LinkedHashMap<>(d.details())));
    o.put("seenAt", Timestamps.wire(d.seenAt()));
    if (Discovery.SOURCE.equals(d.source())) {
      RD_FIELDS.forEach(f -> o.put(f, d.details().get(f)));
    }
    return o;
  }

  private void approveDevice(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject body = ctx.body() == null || ctx.body().length() <= 0 ? null : ctx.body().asJsonObject();
    approvals.approve(id, body == null ? Map.of() : body.getMap())
        .onSuccess(a -> {
          if (!ctx.response().ended()) {
            JsonObject out = new JsonObject(DeviceJson.device(a.device(), states.view(a.device().id()).orElse(null)));
            // e.g. generated MQTT credentials: shown once, here, and never listed again
            a.shownOnce().forEach(out::put);
            ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                .putHeader("Location", "/api/v1/devices/" + a.device().id())
                .end(out.encode());
          }
        })
        .onFailure(e -> Problems.send(ctx, e));
  }
}
