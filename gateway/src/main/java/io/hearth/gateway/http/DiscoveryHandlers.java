package io.hearth.gateway.http;

import io.hearth.adapter.coap.CoapBinding;
import io.hearth.gateway.api.Problems;
import io.hearth.gateway.coap.Discovery;
import io.hearth.gateway.core.DeviceJson;
import io.hearth.gateway.state.DeviceStates;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * App API handlers of CoAP discovery: {@code listDiscovered} (GET /discovery: registrations pending
 * approval) and {@code approveDevice} (POST /devices/{id}/approve).
 */
public final class DiscoveryHandlers {
  private final Discovery discovery;
  private final DeviceStates states;

  public DiscoveryHandlers(Discovery discovery, DeviceStates states) {
    this.discovery = Objects.requireNonNull(discovery);
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
    for (Discovery.Registration r : discovery.pending()) {
      out.add(new JsonObject().put("id", r.endpoint()).put("profile", r.profileId()).put("uri", r.uri())
          .put("protocol", CoapBinding.PROTOCOL).put("registeredAt", r.registeredAt().toString())
          .put("expiresAt", r.expiresAt().toString()));
    }
    ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("pending", out).encode());
  }

  private void approveDevice(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject body = ctx.body() == null || ctx.body().length() <= 0 ? null : ctx.body().asJsonObject();
    if (body == null) {
      body = new JsonObject();
    }
    discovery.approve(id, body.getString("name"), body.getString("room"))
        .onSuccess(d -> {
          if (!ctx.response().ended()) {
            ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                .putHeader("Location", "/api/v1/devices/" + d.id())
                .end(new JsonObject(DeviceJson.device(d, states.view(d.id()).orElse(null))).encode());
          }
        })
        .onFailure(e -> Problems.send(ctx, e));
  }
}
