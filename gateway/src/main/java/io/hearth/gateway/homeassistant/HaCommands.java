package io.hearth.gateway.homeassistant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.device.PropertySpec;
import io.hearth.device.PropertyType;
import io.hearth.gateway.command.CommandRequest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The parsers of Home Assistant's command payloads (docs/home-assistant.md, "What maps to what").
 * They only translate; the values are checked against the profile by the command service, like
 * any app's command.
 */
final class HaCommands {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HaCommands() {
  }

  static CommandRequest set(Map<String, Object> values) {
    return new CommandRequest(values, null, null, null, true);
  }

  static CommandRequest action(String name) {
    return new CommandRequest(null, name, null, null, true);
  }

  /** {@code ON} / {@code OFF} (switch) or {@code onWord} / {@code offWord} (lock) to a bool property. */
  static HaEntity.Parser onOff(String property, String onWord, String offWord) {
    return payload -> {
      String p = payload.trim();
      if (p.equals(onWord)) {
        return set(Map.of(property, true));
      }
      if (p.equals(offWord)) {
        return set(Map.of(property, false));
      }
      throw new IllegalArgumentException("expected " + onWord + " or " + offWord + ", not '" + clip(p) + "'");
    };
  }

  /** A number ({@code number}, a climate's target temperature, a cover's position). */
  static HaEntity.Parser number(PropertySpec spec) {
    return payload -> set(Map.of(spec.name(), numberValue(spec, payload.trim())));
  }

  /** A select's option or a climate's mode: the text as it came. */
  static HaEntity.Parser text(String property) {
    return payload -> {
      String p = payload.trim();
      if (p.isEmpty()) {
        throw new IllegalArgumentException("empty payload");
      }
      return set(Map.of(property, p));
    };
  }

  /**
   * A cover's {@code OPEN}, {@code CLOSE}, {@code STOP}: the profile's actions when the binding
   * carries them, else the position's ends.
   */
  static HaEntity.Parser cover(PropertySpec position, boolean hasActions) {
    return payload -> {
      String p = payload.trim().toUpperCase(Locale.ROOT);
      switch (p) {
        case "OPEN", "CLOSE", "STOP" -> {
          if (hasActions) {
            return action(p.toLowerCase(Locale.ROOT));
          }
          if (p.equals("STOP")) {
            throw new IllegalArgumentException("this cover cannot stop");
          }
          double end = p.equals("OPEN") ? bound(position.max(), 100) : bound(position.min(), 0);
          return set(Map.of(position.name(), (long) end));
        }
        default -> throw new IllegalArgumentException("expected OPEN, CLOSE or STOP, not '" + clip(payload) + "'");
      }
    };
  }

  /**
   * A JSON light's command: {@code {"state":"ON","brightness":50,"color_temp":3000}}. The
   * brightness is on the profile's scale ({@code brightness_scale} is the property's maximum); the
   * color temperature is in kelvin ({@code color_temp_kelvin: true}); {@code color_temp_kelvin} is
   * taken as a key too. Other keys ({@code transition}, {@code flash}) are ignored.
   */
  static HaEntity.Parser jsonLight(String power, PropertySpec brightness, PropertySpec colorTemp) {
    return payload -> {
      JsonNode n;
      try {
        n = JSON.readTree(payload);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("not JSON: " + clip(payload));
      }
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException("not a JSON object: " + clip(payload));
      }
      Map<String, Object> set = new LinkedHashMap<>();
      JsonNode state = n.get("state");
      if (state != null) {
        String s = state.asText();
        if (!s.equals("ON") && !s.equals("OFF")) {
          throw new IllegalArgumentException("state must be ON or OFF, not '" + clip(state.toString()) + "'");
        }
        set.put(power, s.equals("ON"));
      }
      boolean off = Boolean.FALSE.equals(set.get(power));
      if (!off && brightness != null && n.hasNonNull("brightness")) {
        set.put(brightness.name(), numberValue(brightness, n.get("brightness").asText()));
      }
      JsonNode ct = n.hasNonNull("color_temp") ? n.get("color_temp") : n.get("color_temp_kelvin");
      if (!off && colorTemp != null && ct != null && !ct.isNull()) {
        set.put(colorTemp.name(), numberValue(colorTemp, ct.asText()));
      }
      if (set.isEmpty()) {
        throw new IllegalArgumentException("nothing to set in " + clip(payload));
      }
      return set(set);
    };
  }

  /** A number for {@code spec}: a whole number for an int property (rounded), else a double. */
  private static Object numberValue(PropertySpec spec, String raw) {
    double v;
    try {
      v = Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(spec.name() + " must be a number, not '" + clip(raw) + "'");
    }
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(spec.name() + " must be a finite number");
    }
    return spec.type() == PropertyType.INT ? (Object) Math.round(v) : (Object) v;
  }

  private static double bound(Double value, double fallback) {
    return value == null ? fallback : value;
  }

  static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
