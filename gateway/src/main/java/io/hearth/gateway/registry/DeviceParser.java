package io.hearth.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.adapter.BindingInput;
import io.hearth.adapter.Transports;
import io.hearth.device.Binding;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.PowerSource;
import io.hearth.device.Profile;
import io.hearth.gateway.domain.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one {@code devices.yaml} entry (or a {@code POST /devices} body: the same shape) into a
 * {@link DeviceDefinition}, collecting every problem with the path of the offending key. The
 * {@code binding} is checked by its protocol's transport ({@link Transports#parse}).
 */
public final class DeviceParser {
  private static final Set<String> DEVICE_KEYS = Set.of("id", "name", "room", "profile", "binding", "powerSource",
      "availabilityTimeoutMin");
  /** Largest {@code availabilityTimeoutMin}: 30 days. */
  public static final int MAX_AVAILABILITY_TIMEOUT_MIN = 43_200;

  private DeviceParser() {}

  /** The outcome of parsing: a definition, or the problems found. */
  public record Result(DeviceDefinition device, List<FieldError> errors) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  /** Parses and checks an entry against the known profiles and the registered transports. */
  public static Result parse(JsonNode n, Map<String, Profile> profiles, Transports transports) {
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
    Binding binding = binding(n.get("binding"), DeviceDefinition.isValidId(id) ? id : null, transports, errors);
    PowerSource power = powerSource(n.get("powerSource"), errors);
    Integer timeoutMin = timeoutMin(n.get("availabilityTimeoutMin"), errors);
    if (!errors.isEmpty()) {
      return new Result(null, errors);
    }
    return new Result(new DeviceDefinition(id, name, room, profile, binding, power, timeoutMin), List.of());
  }

  /** {@code powerSource}: {@code mains} or {@code battery} (docs/devices.md#availability-and-sleepy-devices). */
  private static PowerSource powerSource(JsonNode v, List<FieldError> errors) {
    if (v == null || v.isNull()) {
      return null;
    }
    PowerSource p = v.isTextual() ? PowerSource.fromWire(v.asText()) : null;
    if (p == null) {
      errors.add(new FieldError("powerSource", "must be mains or battery"));
    }
    return p;
  }

  /** {@code availabilityTimeoutMin}: whole minutes, 0 (never time out) to 30 days. */
  private static Integer timeoutMin(JsonNode v, List<FieldError> errors) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > MAX_AVAILABILITY_TIMEOUT_MIN) {
      errors.add(new FieldError("availabilityTimeoutMin", "must be a whole number of minutes from 0 to "
          + MAX_AVAILABILITY_TIMEOUT_MIN));
      return null;
    }
    return v.intValue();
  }

  private static Binding binding(JsonNode b, String id, Transports transports, List<FieldError> errors) {
    Transports.Parsed parsed = transports.parse(b, id);
    for (BindingInput.Problem p : parsed.problems()) {
      errors.add(new FieldError(p.key().isEmpty() ? "binding" : "binding." + p.key(), p.message()));
    }
    return parsed.binding();
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
  }
}
