package io.hearth.gateway.ws;

import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.events.GatewayEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Set;

/** Reads typed fields of client messages; a wrong type is a {@code VALIDATION_FAILED} naming the field. */
final class WsFields {
  static final Set<String> KINDS = Set.of(GatewayEvent.STATE, GatewayEvent.AVAILABILITY, GatewayEvent.COMMAND,
      GatewayEvent.EVENT, GatewayEvent.DEVICE, GatewayEvent.ALERT, GatewayEvent.AUTOMATION,
      // scenes (docs/scenes.md#events)
      io.hearth.gateway.scenes.SceneService.CREATED, io.hearth.gateway.scenes.SceneService.UPDATED,
      io.hearth.gateway.scenes.SceneService.DELETED, io.hearth.gateway.scenes.SceneService.ACTIVATED);
  private static final int MAX_LIST = 1_000;

  private WsFields() {}

  static ValidationException invalid(String property, String message) {
    return ValidationException.of(property, message);
  }

  /** An optional array of strings (null when absent). */
  static Set<String> strings(JsonObject msg, String field) {
    Object v = msg.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray a) || a.size() > MAX_LIST) {
      throw invalid(field, "must be an array of at most " + MAX_LIST + " strings");
    }
    Set<String> out = new LinkedHashSet<>();
    for (Object o : a) {
      if (!(o instanceof String s)) {
        throw invalid(field, "must be an array of strings");
      }
      out.add(s);
    }
    return out;
  }

  static Long optionalLong(JsonObject msg, String field, long min) {
    Object v = msg.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min) {
      throw invalid(field, "must be an integer ≥ " + min);
    }
    return ((Number) v).longValue();
  }

  static String optionalString(JsonObject msg, String field) {
    Object v = msg.getValue(field);
    if (v != null && !(v instanceof String)) {
      throw invalid(field, "must be a string");
    }
    return (String) v;
  }

  static String requiredString(JsonObject msg, String field) {
    String s = optionalString(msg, field);
    if (s == null) {
      throw invalid(field, "is required");
    }
    return s;
  }

  static JsonObject optionalObject(JsonObject msg, String field) {
    Object v = msg.getValue(field);
    if (v != null && !(v instanceof JsonObject)) {
      throw invalid(field, "must be an object");
    }
    return (JsonObject) v;
  }
}
