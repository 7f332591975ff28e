package io.hearth.adapter.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.adapter.DeviceCommand;
import io.hearth.adapter.Supports;
import io.hearth.adapter.payload.JsonPayloads;
import io.hearth.adapter.payload.MalformedPayloadException;
import io.hearth.device.Profile;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Zigbee2MQTT's keys for each Hearth profile (the table in docs/conventions-mqtt.md), from
 * zigbee-herdsman-converters' src/converters/toZigbee.ts (what {@code <t>/set} takes) and
 * fromZigbee.ts (what {@code <t>} reports):
 * <ul>
 *   <li>light.dimmable: {@code state} ON/OFF ↔ power ({@code on_off}), {@code brightness} 0–254 ↔
 *       0–100 % ({@code light_onoff_brightness}), {@code color_temp} mired ↔ Kelvin
 *       ({@code light_colortemp}, {@link ColorTemp});
 *   <li>plug: {@code state} ON/OFF ↔ power; {@code power} W → power_w
 *       ({@code electrical_measurement}), {@code energy} kWh → energy_kwh ({@code metering});
 *   <li>lock: {@code state} LOCK/UNLOCK ↔ locked ({@code lock}); {@code lock_state}
 *       locked/unlocked/not_fully_locked → locked;
 *   <li>curtain: {@code position} 0–100 (100 = open) ↔ position ({@code cover_position_tilt});
 *       actions open/close/stop → {@code state} OPEN/CLOSE/STOP ({@code cover_state});
 *   <li>thermostat: {@code occupied_heating_setpoint} ↔ target_temp, {@code local_temperature} →
 *       current_temp, {@code system_mode} ↔ mode ({@code thermostat},
 *       {@code thermostat_occupied_heating_setpoint}, {@code thermostat_system_mode});
 *   <li>sensor.contact: {@code contact} (true = closed, {@code ias_contact_alarm_1}) → open = !contact;
 *   <li>sensor.climate: {@code temperature}, {@code humidity}, {@code battery} under their own names.
 * </ul>
 * A profile not in the table (a profile of the owner's own) keeps the plain mapping: {@code power}
 * ↔ {@code state}, brightness and colour temperature scaled, every other property under its own
 * name, no actions. Reported numbers are clamped into the profile's range.
 */
final class Zigbee2MqttMapping {

  /** What one profile's mapping carries. */
  private record Carried(Set<String> read, Set<String> set, Set<String> actions) {}

  private static final String LIGHT = "light.dimmable";
  private static final String PLUG = "plug";
  private static final String LOCK = "lock";
  private static final String CURTAIN = "curtain";
  private static final String THERMOSTAT = "thermostat";
  private static final String CONTACT = "sensor.contact";
  private static final String CLIMATE = "sensor.climate";

  private static final Map<String, Carried> PROFILES = Map.of(
      LIGHT, new Carried(Set.of("power", "brightness", "color_temp"), Set.of("power", "brightness", "color_temp"),
          Set.of()),
      PLUG, new Carried(Set.of("power", "power_w", "energy_kwh"), Set.of("power"), Set.of()),
      LOCK, new Carried(Set.of("locked"), Set.of("locked"), Set.of()),
      CURTAIN, new Carried(Set.of("position"), Set.of("position"), Set.of("open", "close", "stop")),
      THERMOSTAT, new Carried(Set.of("target_temp", "current_temp", "mode"), Set.of("target_temp", "mode"), Set.of()),
      CONTACT, new Carried(Set.of("open"), Set.of(), Set.of()),
      CLIMATE, new Carried(Set.of("temperature", "humidity", "battery"), Set.of(), Set.of()));

  /** Cover commands of toZigbee.ts {@code cover_state}. */
  private static final Map<String, String> COVER_ACTIONS = Map.of("open", "OPEN", "close", "CLOSE", "stop", "STOP");

  private Zigbee2MqttMapping() {}

  /** What the mapping carries for a device of that profile. */
  static Supports supports(Profile profile) {
    Carried c = PROFILES.get(profile.id());
    return c == null ? Supports.all(profile).withoutActions() : Supports.of(profile, c.read, c.set, c.actions);
  }

  /**
   * The {@code <t>/set} body of a command.
   *
   * @throws IllegalArgumentException for a property or action the profile's mapping cannot carry
   */
  static Map<String, Object> toZigbee(String profileId, DeviceCommand command) {
    Carried carried = PROFILES.get(profileId);
    if (command.isAction()) {
      String state = CURTAIN.equals(profileId) ? COVER_ACTIONS.get(command.action()) : null;
      if (state == null) {
        throw new IllegalArgumentException("the zigbee2mqtt convention cannot carry action '" + command.action()
            + "' for profile " + profileId);
      }
      return Map.of("state", state);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    command.set().forEach((name, value) -> {
      if (carried != null && !carried.set.contains(name)) {
        throw new IllegalArgumentException("the zigbee2mqtt convention cannot set '" + name + "' for profile "
            + profileId);
      }
      switch (carried == null ? "" : name) {
        case "locked" -> body.put("state", bool(name, value) ? "LOCK" : "UNLOCK");
        case "position" -> body.put("position", Math.round(number(name, value)));
        case "target_temp" -> body.put("occupied_heating_setpoint", number(name, value));
        case "mode" -> body.put("system_mode", value);
        default -> plainToZigbee(name, value, body);
      }
    });
    return body;
  }

  private static void plainToZigbee(String name, Object value, Map<String, Object> body) {
    switch (name) {
      case "power" -> body.put("state", bool(name, value) ? "ON" : "OFF");
      case "brightness" -> body.put("brightness", brightnessToZigbee(number(name, value)));
      case "color_temp" -> body.put("color_temp", ColorTemp.kelvinToMired(number(name, value)));
      default -> body.put(name, value);
    }
  }

  /**
   * The profile's properties in one {@code <t>} state message; keys the profile does not model
   * ({@code linkquality}, {@code update}, …) are left out.
   *
   * @throws MalformedPayloadException if a mapped key has a value of the wrong kind
   */
  static Map<String, Object> fromZigbee(String profileId, ObjectNode json, Map<String, Object> commanded) {
    Map<String, Object> props = new LinkedHashMap<>();
    switch (profileId) {
      case LIGHT -> light(json, commanded, props);
      case PLUG -> {
        onOff(json, "state", "power", props);
        number(json, "power").ifPresent(w -> props.put("power_w", Math.max(0, w)));
        number(json, "energy").ifPresent(kwh -> props.put("energy_kwh", Math.max(0, kwh)));
      }
      case LOCK -> lock(json, props);
      case CURTAIN -> number(json, "position").ifPresent(p -> props.put("position", clampLong(p, 0, 100)));
      case THERMOSTAT -> {
        number(json, "occupied_heating_setpoint").ifPresent(t -> props.put("target_temp", setpoint(t)));
        number(json, "local_temperature").ifPresent(t -> props.put("current_temp", t));
        text(json, "system_mode").ifPresent(m -> props.put("mode", m));
      }
      case CONTACT -> bool(json, "contact").ifPresent(closed -> props.put("open", !closed));
      case CLIMATE -> {
        number(json, "temperature").ifPresent(t -> props.put("temperature", t));
        number(json, "humidity").ifPresent(h -> props.put("humidity", Math.max(0, Math.min(100, h))));
        number(json, "battery").ifPresent(b -> props.put("battery", clampLong(b, 0, 100)));
      }
      default -> plain(json, commanded, props);
    }
    return props;
  }

  private static void light(ObjectNode json, Map<String, Object> commanded, Map<String, Object> props) {
    onOff(json, "state", "power", props);
    number(json, "brightness").ifPresent(b -> props.put("brightness", brightnessFromZigbee(b)));
    JsonNode ct = json.get("color_temp");
    if (ct != null && !ct.isNull()) {
      if (!ct.isNumber() || ct.doubleValue() <= 0) {
        throw new MalformedPayloadException("color_temp is not a positive number");
      }
      props.put("color_temp", ColorTemp.miredToKelvin(ct.doubleValue(), commanded.get("color_temp")));
    }
  }

  private static void lock(ObjectNode json, Map<String, Object> props) {
    text(json, "lock_state").ifPresent(s -> {
      switch (s) {
        case "locked" -> props.put("locked", true);
        case "unlocked", "not_fully_locked" -> props.put("locked", false);
        default -> throw new MalformedPayloadException("lock_state is not locked, unlocked or not_fully_locked");
      }
    });
    text(json, "state").ifPresent(s -> {
      if (s.equalsIgnoreCase("LOCK") || s.equalsIgnoreCase("UNLOCK")) {
        props.put("locked", s.equalsIgnoreCase("LOCK"));
      } else {
        throw new MalformedPayloadException("state is neither LOCK nor UNLOCK");
      }
    });
  }

  /** The plain mapping of a profile not in the table: the names pass through. */
  private static void plain(ObjectNode json, Map<String, Object> commanded, Map<String, Object> props) {
    json.properties().forEach(field -> {
      switch (field.getKey()) {
        case "state", "brightness", "color_temp" -> { }
        default -> {
          Object value = JsonPayloads.toJava(field.getValue());
          if (value != null) {
            props.put(field.getKey(), value);
          }
        }
      }
    });
    light(json, commanded, props);
  }

  /** A setpoint on the thermostat profile's grid: 0.5 °C steps (as toZigbee.ts rounds it), 5–35 °C. */
  private static double setpoint(double celsius) {
    return Math.max(5, Math.min(35, Math.round(celsius * 2) / 2.0));
  }

  private static long clampLong(double v, long min, long max) {
    return Math.max(min, Math.min(max, Math.round(v)));
  }

  private static void onOff(ObjectNode json, String key, String property, Map<String, Object> props) {
    text(json, key).ifPresent(s -> {
      if (s.equalsIgnoreCase("ON") || s.equalsIgnoreCase("OFF")) {
        props.put(property, s.equalsIgnoreCase("ON"));
      } else {
        throw new MalformedPayloadException(key + " is neither ON nor OFF");
      }
    });
  }

  private static Optional<Double> number(ObjectNode json, String key) {
    JsonNode n = json.get(key);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
      throw new MalformedPayloadException(key + " is not a number");
    }
    return Optional.of(n.doubleValue());
  }

  private static Optional<String> text(ObjectNode json, String key) {
    JsonNode n = json.get(key);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isTextual()) {
      throw new MalformedPayloadException(key + " is not a string");
    }
    return Optional.of(n.textValue());
  }

  private static Optional<Boolean> bool(ObjectNode json, String key) {
    JsonNode n = json.get(key);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isBoolean()) {
      throw new MalformedPayloadException(key + " is not a boolean");
    }
    return Optional.of(n.booleanValue());
  }

  private static boolean bool(String name, Object value) {
    if (!(value instanceof Boolean b)) {
      throw new IllegalArgumentException(name + " must be a boolean");
    }
    return b;
  }

  private static double number(String name, Object value) {
    if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw new IllegalArgumentException(name + " must be a number");
    }
    return n.doubleValue();
  }

  /**
   * Brightness 0–100 % to Zigbee's 0–254: {@code ceil(p × 254 / 100)} (60 % → 153). One percent
   * is 2.54 Zigbee steps, so the result lies in {@code [2.54p, 2.54p + 1)} and
   * {@link #brightnessFromZigbee} gives every integer percentage back exactly.
   */
  static long brightnessToZigbee(double percent) {
    return (long) Math.ceil(Math.max(0, Math.min(100, percent)) * 254.0 / 100.0);
  }

  /** Zigbee brightness 0–254 to 0–100 %: {@code round(z × 100 / 254)}. */
  static long brightnessFromZigbee(double zigbee) {
    return Math.round(Math.max(0, Math.min(254, zigbee)) * 100.0 / 254.0);
  }
}
