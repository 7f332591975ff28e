package io.hearth.gateway.http;

import io.hearth.adapter.BindingException;
import io.hearth.adapter.mqtt.MqttBridge;
import io.hearth.adapter.mqtt.MqttTransport;
import io.hearth.gateway.api.ApiException;
import io.hearth.gateway.api.ErrorCode;
import io.hearth.gateway.api.Problems;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.registry.BridgeParser;
import io.hearth.gateway.registry.BridgeRegistry;
import io.hearth.gateway.registry.DeviceRegistry;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code /bridges} (docs/api.md, "Bridges"; owner only): list, register, get and remove the
 * Zigbee2MQTT bridges. A bridge registered without credentials gets generated ones, shown once.
 * Passwords are never listed.
 */
public final class BridgeHandlers {
  private final BridgeRegistry bridges;
  private final DeviceRegistry devices;
  private final MqttTransport mqtt;

  public BridgeHandlers(BridgeRegistry bridges, DeviceRegistry devices, MqttTransport mqtt) {
    this.bridges = Objects.requireNonNull(bridges, "bridges");
    this.devices = Objects.requireNonNull(devices, "devices");
    this.mqtt = Objects.requireNonNull(mqtt, "mqtt");
  }

  /** The handlers by operationId. */
  public Map<String, Handler<RoutingContext>> byOperationId() {
    Map<String, Handler<RoutingContext>> m = new LinkedHashMap<>();
    m.put("listBridges", this::list);
    m.put("registerBridge", this::register);
    m.put("getBridge", this::get);
    m.put("deleteBridge", this::delete);
    return m;
  }

  private void list(RoutingContext ctx) {
    JsonArray out = new JsonArray();
    bridges.all().forEach(b -> out.add(json(b)));
    reply(ctx, 200, new JsonObject().put("bridges", out));
  }

  private void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    bridges.get(id).ifPresentOrElse(b -> reply(ctx, 200, json(b)), () -> Problems.send(ctx, notFound(id)));
  }

  private void register(RoutingContext ctx) {
    BridgeParser.Result parsed = BridgeParser.parse(JacksonTrees.of(ctx.body().asJsonObject()), false);
    if (!parsed.ok()) {
      Problems.send(ctx, ValidationException.of(parsed.errors()));
      return;
    }
    if (bridges.exists(parsed.bridge().id())) {
      Problems.send(ctx, new ApiException(ErrorCode.CONFLICT, "bridge '" + parsed.bridge().id() + "' exists"));
      return;
    }
    MqttBridge prepared;
    try {
      prepared = mqtt.prepareBridge(parsed.bridge());
    } catch (BindingException e) {
      Problems.send(ctx, ValidationException.of(e.key(), e.getMessage()));
      return;
    }
    boolean generated = parsed.bridge().credentials() == null;
    bridges.add(prepared).onSuccess(b -> {
      JsonObject out = json(b);
      if (generated) { // shown once, here, and never listed again
        out.put("credentials", new JsonObject().put("username", b.credentials().username())
            .put("password", b.credentials().password()));
      }
      ctx.response().putHeader("Location", "/api/v1/bridges/" + b.id());
      reply(ctx, 201, out);
    }).onFailure(e -> Problems.send(ctx, e));
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    MqttBridge b = bridges.get(id).orElse(null);
    if (b == null) {
      Problems.send(ctx, notFound(id));
      return;
    }
    if (b.fromConfig()) {
      Problems.send(ctx, new ApiException(ErrorCode.CONFLICT, "bridge '" + id
          + "' is declared in devices.yaml: remove it there"));
      return;
    }
    List<String> behind = BridgeRegistry.devicesBehind(id, devices);
    if (!behind.isEmpty()) {
      Problems.send(ctx, new ApiException(ErrorCode.CONFLICT, "bridge '" + id + "' still serves devices "
          + behind + ": remove them first"));
      return;
    }
    bridges.remove(id).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(e -> Problems.send(ctx, e));
  }

  private static ApiException notFound(String id) {
    return new ApiException(ErrorCode.NOT_FOUND, "no bridge '" + id + "'");
  }

  /** A bridge as the API shows it: never its password. */
  static JsonObject json(MqttBridge b) {
    JsonObject o = new JsonObject().put("id", b.id()).put("convention", b.convention()).put("baseTopic", b.baseTopic())
        .put("fromConfig", b.fromConfig());
    if (b.credentials() != null) {
      o.put("username", b.credentials().username());
    }
    return o;
  }

  private static void reply(RoutingContext ctx, int status, JsonObject body) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }
  }
}
