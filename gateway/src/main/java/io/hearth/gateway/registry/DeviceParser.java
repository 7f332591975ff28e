package io.hearth.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.device.Binding;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.hearth.gateway.domain.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one {@code devices.yaml} entry (or a {@code POST /devices} body: the same shape) into a
 * {@link DeviceDefinition}, collecting every problem with the path of the offending key.
 */
public final class DeviceParser {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> DEVICE_KEYS = Set.of("id", "name", "room", "profile", "binding");
  private static final Set<String> BINDING_KEYS =
      Set.of("protocol", "convention", "topic", "uri", "state", "write", "credentials", "psk");
  private static final Map<String, Set<String>> CONVENTIONS =
      Map.of("mqtt", Set.of("hearth", "tasmota", "zigbee2mqtt"), "coap", Set.of("hearth", "generic"));

  private DeviceParser() {}

  /** The outcome of parsing: a definition, or the problems found. */
  public record Result(DeviceDefinition device, List<FieldError> errors) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  /** Parses and checks an entry against the known profiles. */
  public static Result parse(JsonNode n, Map<String, Profile> profiles) {
    List<FieldError> errors = new ArrayList<>();
    if (n == null || !n.isObject()) {
      return new Result(null, List.of(new FieldError("", "a device must be a mapping")));
    }
    n.fieldNames().forEachRemaining(k -> {
      if (!DEVICE_KEYS.contains(k)) {
        errors.add(new FieldError(k, "is not a device key " + new java.util.TreeSet<>(DEVICE_KEYS)));
      }
    });
    String id = text(n, "id");
    if (!DeviceDefinition.isValidId(id)) {
      errors.add(new FieldError("id", "must be 1-64 characters of [a-z0-9_-]"));
    }
    String profile = text(n, "profile");
    if (profile == null) {
      errors.add(new FieldError("profile", "is required"));
    } else if (!profiles.containsKey(profile)) {
      errors.add(new FieldError("profile", "unknown profile '" + profile + "'"));
    }
    String name = text(n, "name");
    if (name != null && name.length() > 128) {
      errors.add(new FieldError("name", "must be at most 128 characters"));
    }
    String room = text(n, "room");
    if (room != null && !room.matches("[A-Za-z0-9_ .-]{1,64}")) {
      errors.add(new FieldError("room", "must be 1-64 characters of letters, digits, space, _ . -"));
    }
    Binding binding = binding(n.get("binding"), id, errors);
    if (!errors.isEmpty()) {
      return new Result(null, errors);
    }
    return new Result(new DeviceDefinition(id, name, room, profile, binding), List.of());
  }

  private static Binding binding(JsonNode b, String id, List<FieldError> errors) {
    if (b == null || !b.isObject()) {
      errors.add(new FieldError("binding", "is required: { protocol: mqtt|coap, convention: … }"));
      return null;
    }
    b.fieldNames().forEachRemaining(k -> {
      if (!BINDING_KEYS.contains(k)) {
        errors.add(new FieldError("binding." + k, "is not a binding key " + new java.util.TreeSet<>(BINDING_KEYS)));
      }
    });
    String protocol = text(b, "protocol");
    if (protocol == null || !CONVENTIONS.containsKey(protocol)) {
      errors.add(new FieldError("binding.protocol", "must be mqtt or coap"));
      return null;
    }
    String convention = text(b, "convention") == null ? "hearth" : text(b, "convention");
    if (!CONVENTIONS.get(protocol).contains(convention)) {
      errors.add(new FieldError("binding.convention",
          "must be one of " + new java.util.TreeSet<>(CONVENTIONS.get(protocol)) + " for " + protocol));
    }
    String topic = text(b, "topic");
    if (topic != null && (topic.isEmpty() || topic.length() > 128 || topic.contains("+") || topic.contains("#")
        || topic.startsWith("/") || topic.endsWith("/"))) {
      errors.add(new FieldError("binding.topic", "must be 1-128 characters without wildcards or leading/trailing /"));
    }
    String uri = text(b, "uri");
    String state = text(b, "state");
    String write = text(b, "write");
    if (protocol.equals("coap")) {
      if (uri == null || !(uri.startsWith("coap://") || uri.startsWith("coaps://"))) {
        errors.add(new FieldError("binding.uri", "is required for coap: coap://host:port or coaps://host:port"));
      } else {
        try {
          java.net.URI u = java.net.URI.create(uri);
          if (u.getHost() == null) {
            throw new IllegalArgumentException();
          }
        } catch (IllegalArgumentException e) {
          errors.add(new FieldError("binding.uri", "is not a valid URI"));
        }
      }
      if (state != null && !state.startsWith("/")) {
        errors.add(new FieldError("binding.state", "must be a path starting with /"));
      }
      if (write != null && !write.equals("replace") && !write.equals("patch")) {
        errors.add(new FieldError("binding.write", "must be replace or patch"));
      }
    } else if (uri != null || state != null || write != null) {
      errors.add(new FieldError("binding", "uri, state and write are for coap bindings"));
    }
    Binding.Credentials credentials = null;
    JsonNode c = b.get("credentials");
    if (c != null && !c.isNull()) {
      String user = c.isObject() ? text(c, "username") : null;
      String pass = c.isObject() ? text(c, "password") : null;
      if (!protocol.equals("mqtt")) {
        errors.add(new FieldError("binding.credentials", "are for mqtt bindings"));
      } else if (user == null || user.isEmpty() || user.length() > 128 || pass == null || pass.length() < 8
          || pass.length() > 256) {
        errors.add(new FieldError("binding.credentials",
            "must have a username (1-128 characters) and a password (8-256 characters)"));
      } else {
        credentials = new Binding.Credentials(user, pass);
      }
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    if (b.has("psk")) {
      extra.put("psk", MAPPER.convertValue(b.get("psk"), Object.class));
    }
    if (!errors.isEmpty()) {
      return null;
    }
    if (topic == null && protocol.equals("mqtt") && !convention.equals("hearth")) {
      topic = id;
    }
    return new Binding(protocol, convention, topic, uri, state == null && protocol.equals("coap") ? "/state" : state,
        write == null && protocol.equals("coap") ? "patch" : write, credentials, extra);
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
  }
}
