package io.hearth.sim.z2m;

import io.hearth.sim.behavior.Outcome;
import io.hearth.sim.mqtt.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The toZigbee converters of each simulated device's definition, as zigbee-herdsman-converters
 * implements them in {@code src/converters/toZigbee.ts} ({@code light_onoff_brightness},
 * {@code light_colortemp}, {@code on_off}, {@code lock}, {@code thermostat_occupied_heating_setpoint},
 * {@code thermostat_system_mode}, {@code cover_state}, {@code cover_position_tilt} and the read-only
 * ones): their keys, whether they can set and get, and what {@code convertSet} checks and throws.
 * A thrown {@link ConverterError} carries the converter's error text; Zigbee2MQTT logs it as
 * {@code Publish 'set' '<key>' to '<device>' failed: 'Error: <text>'} (lib/extension/publish.ts).
 */
final class Z2mConverters {

  /** One converter: its name in toZigbee.ts, its keys, whether it has convertSet / convertGet. */
  record Converter(String name, List<String> keys, boolean set, boolean get) { }

  /** An {@code Error} thrown by a converter (or by the device's ZCL answer). */
  static final class ConverterError extends RuntimeException {
    ConverterError(String message) {
      super(message, null, false, false);
    }
  }

  static final Converter LIGHT_ONOFF_BRIGHTNESS = new Converter("light_onoff_brightness",
      List.of("state", "brightness", "brightness_percent", "on_time", "off_wait_time"), true, true);
  static final Converter LIGHT_COLORTEMP = new Converter("light_colortemp", List.of("color_temp", "color_temp_percent"),
      true, true);
  static final Converter EFFECT = new Converter("effect", List.of("effect"), true, false);
  static final Converter IGNORE_TRANSITION = new Converter("ignore_transition", List.of("transition"), true, false);
  static final Converter POWER_ON_BEHAVIOR = new Converter("power_on_behavior", List.of("power_on_behavior"), true,
      true);
  static final Converter ON_OFF = new Converter("on_off", List.of("state", "on_time", "off_wait_time"), true, true);
  static final Converter METERING = new Converter("electrical_measurement",
      List.of("power", "current", "voltage", "energy"), false, true);
  static final Converter LOCK = new Converter("lock", List.of("state"), true, true);
  static final Converter SETPOINT = new Converter("thermostat_occupied_heating_setpoint",
      List.of("occupied_heating_setpoint"), true, true);
  static final Converter SYSTEM_MODE = new Converter("thermostat_system_mode", List.of("system_mode"), true, true);
  static final Converter LOCAL_TEMPERATURE = new Converter("thermostat_local_temperature",
      List.of("local_temperature"), false, true);
  static final Converter RUNNING_STATE = new Converter("thermostat_running_state", List.of("running_state"), false,
      true);
  static final Converter COVER_STATE = new Converter("cover_state", List.of("state"), true, false);
  static final Converter COVER_POSITION = new Converter("cover_position_tilt", List.of("position", "tilt"), true, true);

  private Z2mConverters() {
  }

  /** The definition's {@code toZigbee} list; sensors have none. */
  static List<Converter> of(String profile) {
    switch (profile) {
      case "light.dimmable":
        return List.of(LIGHT_ONOFF_BRIGHTNESS, LIGHT_COLORTEMP, EFFECT, IGNORE_TRANSITION, POWER_ON_BEHAVIOR);
      case "plug":
        return List.of(ON_OFF, POWER_ON_BEHAVIOR, METERING);
      case "lock":
        return List.of(LOCK);
      case "thermostat":
        return List.of(SETPOINT, SYSTEM_MODE, LOCAL_TEMPERATURE, RUNNING_STATE);
      case "curtain":
        return List.of(COVER_STATE, COVER_POSITION);
      default:
        return List.of();
    }
  }

  /** {@code converters.find(c => !c.key || c.key.includes(key))}. */
  static Converter find(List<Converter> converters, String key) {
    for (Converter c : converters) {
      if (c.keys().contains(key)) {
        return c;
      }
    }
    return null;
  }

  /**
   * Runs {@code convertSet} against the device.
   *
   * @return whether the device's state changed (it then reports, and Zigbee2MQTT publishes)
   * @throws ConverterError with the converter's message
   */
  static boolean convertSet(Converter c, String key, Object value, Map<String, Object> message, Z2mChildDevice d) {
    switch (c.name()) {
      case "light_onoff_brightness":
        return lightOnOffBrightness(message, d);
      case "light_colortemp": {
        Object v = value;
        if ("color_temp_percent".equals(key)) {
          v = Math.round(number(key, v) * (500 - 153) / 100.0 + 153);
        } else if (v instanceof String s && PRESETS.containsKey(s)) {
          v = PRESETS.get(s);
        }
        double n = v instanceof String s2 ? parse(s2) : number(key, v);
        if (Double.isNaN(n)) {
          throw new ConverterError(key + " is not a number, got string (" + value + ")");
        }
        int mired = (int) Math.round(n);
        d.applyMired(Math.max(153, Math.min(500, mired))); // light.clampColorTemp to the definition's range
        return true;
      }
      case "on_off": {
        String state = message.get("state") instanceof String s ? s.toLowerCase(Locale.ROOT) : null;
        validate(state, List.of("toggle", "off", "on"));
        boolean on = "toggle".equals(state) ? !d.powered() : "on".equals(state);
        return d.apply(Map.of("power", on));
      }
      case "lock": {
        String state = value instanceof String s ? s.toUpperCase(Locale.ROOT) : null;
        validate(state, List.of("LOCK", "UNLOCK", "TOGGLE"));
        boolean lock = "TOGGLE".equals(state) ? !Boolean.TRUE.equals(d.state().get("locked")) : "LOCK".equals(state);
        return d.applyLock(lock);
      }
      case "thermostat_occupied_heating_setpoint": {
        double v = number(key, value);
        return d.apply(Map.of("target_temp", Math.round(v * 2) / 2.0));
      }
      case "thermostat_system_mode":
        return d.apply(Map.of("mode", String.valueOf(value)));
      case "cover_state": {
        String s = String.valueOf(value).toLowerCase(Locale.ROOT);
        if (!List.of("open", "close", "stop").contains(s)) {
          throw new ConverterError("Expected one of: open, close, stop, got: '" + s + "'");
        }
        return d.act(s);
      }
      case "cover_position_tilt":
        if ("tilt".equals(key)) {
          throw new ConverterError("Status 'UNSUPPORTED_ATTRIBUTE'");
        }
        return d.apply(Map.of("position", (int) Math.round(number(key, value))));
      case "power_on_behavior": {
        String s = String.valueOf(value).toLowerCase(Locale.ROOT);
        if (!List.of("off", "on", "toggle", "previous").contains(s)) {
          throw new ConverterError("Expected one of: off, on, toggle, previous, got: '" + s + "'");
        }
        d.extra().put("power_on_behavior", s);
        return true;
      }
      default: // effect, ignore_transition: nothing to report
        return false;
    }
  }

  private static final Map<String, Integer> PRESETS = Map.of("coolest", 153, "cool", 250, "neutral", 370, "warm", 454,
      "warmest", 500);

  /** toZigbee.ts {@code light_onoff_brightness.convertSet}: its checks and their messages. */
  private static boolean lightOnOffBrightness(Map<String, Object> message, Z2mChildDevice d) {
    Object rawState = message.get("state");
    String state = rawState == null ? null : rawState instanceof String s ? s.toLowerCase(Locale.ROOT) : "";
    Double brightness = null;
    if (message.get("brightness") != null) {
      brightness = parse(String.valueOf(message.get("brightness")));
    } else if (message.get("brightness_percent") != null) {
      brightness = (double) Math.round(parse(String.valueOf(message.get("brightness_percent"))) * 255 / 100.0);
    }
    if (brightness != null && brightness == 255) {
      brightness = 254.0; // "Allow 255 for backwards compatibility"
    }
    String json = new String(Json.write(message), StandardCharsets.UTF_8);
    if (brightness != null && (brightness.isNaN() || brightness < 0 || brightness > 254)) {
      throw new ConverterError("Brightness value of message: '" + json + "' invalid, must be a number >= 0 and =< 254");
    }
    if (state != null && !List.of("on", "off", "toggle").contains(state)) {
      throw new ConverterError("State value of message: '" + json + "' invalid, must be 'ON', 'OFF' or 'TOGGLE'");
    }
    if (state == null && brightness == null) {
      throw new ConverterError("At least one of \"brightness\" or \"state\" must have a value: '" + json + "'");
    }
    if (state == null) {
      state = brightness == 0 ? "off" : "on";
    }
    boolean on = "toggle".equals(state) ? !d.powered() : "on".equals(state);
    return on && brightness != null ? d.applyLevel(brightness.intValue()) : d.apply(Map.of("power", on));
  }

  /** zhc {@code utils.validateValue}. */
  private static void validate(String value, List<String> allowed) {
    if (!allowed.contains(value)) {
      throw new ConverterError("'" + value + "' not allowed, choose between: " + String.join(",", allowed));
    }
  }

  /** zhc {@code utils.assertNumber}. */
  private static double number(String key, Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw new ConverterError(key + " is not a number, got " + (value instanceof String ? "string" : "object")
        + " (" + value + ")");
  }

  /** JavaScript's {@code Number(string)}: NaN when not a number. */
  private static double parse(String s) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** A device that refused (the simulator's reject fault, out-of-range value): a ZCL failure status. */
  static void check(Outcome o) {
    if (!o.ok()) {
      throw new ConverterError(o.error().contains("rejected") ? "Status 'FAILURE'" : "Status 'INVALID_VALUE'");
    }
  }
}
