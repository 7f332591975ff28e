package io.hearth.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.adapter.mqtt.MqttBridge;
import io.hearth.gateway.domain.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns one {@code bridges:} entry of devices.yaml (or a {@code POST /bridges} body: the same shape)
 * into an {@link MqttBridge}, collecting every problem with its key (docs/devices.md, "Bridges").
 */
public final class BridgeParser {
  private static final Set<String> KEYS = Set.of("id", "convention", "baseTopic", "credentials");

  private BridgeParser() {}

  /** The outcome of parsing: a bridge, or the problems found. */
  public record Result(MqttBridge bridge, List<FieldError> errors) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  public static Result parse(JsonNode n, boolean fromConfig) {
    List<FieldError> errors = new ArrayList<>();
    if (n == null || !n.isObject()) {
      return new Result(null, List.of(new FieldError("", "a bridge must be a mapping")));
    }
    n.fieldNames().forEachRemaining(k -> {
      if (!KEYS.contains(k)) {
        errors.add(new FieldError(k, "is not a bridge key " + new TreeSet<>(KEYS)));
      }
    });
    String id = text(n, "id");
    if (id == null || !id.matches("[a-z0-9_-]{1,64}")) {
      errors.add(new FieldError("id", "must be 1-64 characters of [a-z0-9_-]"));
    }
    String convention = text(n, "convention");
    if (convention != null && !MqttBridge.CONVENTION.equals(convention)) {
      errors.add(new FieldError("convention", "must be " + MqttBridge.CONVENTION));
    }
    String baseTopic = text(n, "baseTopic");
    if (n.has("baseTopic") && !MqttBridge.isValidBaseTopic(baseTopic)) {
      errors.add(new FieldError("baseTopic", "must be 1-128 characters without wildcards or leading/trailing /"));
    }
    MqttBinding.Credentials credentials = null;
    JsonNode c = n.get("credentials");
    if (c != null && !c.isNull()) {
      String user = c.isObject() ? text(c, "username") : null;
      String pass = c.isObject() ? text(c, "password") : null;
      if (user == null || user.isEmpty() || user.length() > 128 || pass == null || pass.length() < 8
          || pass.length() > 256) {
        errors.add(new FieldError("credentials",
            "must have a username (1-128 characters) and a password (8-256 characters)"));
      } else {
        credentials = new MqttBinding.Credentials(user, pass);
      }
    }
    if (!errors.isEmpty()) {
      return new Result(null, errors);
    }
    return new Result(new MqttBridge(id, convention, baseTopic, credentials, fromConfig), List.of());
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
  }
}
