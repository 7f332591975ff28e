package io.hearth.gateway.homeassistant;

import io.hearth.device.PropertySpec;
import io.hearth.device.PropertyType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The properties no whole-device feature took, one component each: a settable bool is a switch, a
 * settable enum a select, a settable number a number; a reported bool is a binary sensor, a
 * reported number, enum or string a sensor. Device and state classes come from the property's name
 * and unit (docs/home-assistant.md).
 */
final class HaPlainEntities {
  private HaPlainEntities() {
  }

  static List<HaEntity> rest(HaMapping.Ctx c, boolean noMainYet) {
    List<HaEntity> out = new ArrayList<>();
    for (PropertySpec p : c.profile.properties().values()) {
      String n = p.name();
      if (c.used.contains(n)) {
        continue;
      }
      boolean main = noMainYet && out.isEmpty() && n.equals("power") && p.type() == PropertyType.BOOL;
      HaEntity e = c.settable(n) != null ? settable(c, p, main) : c.readable(n) != null ? reported(c, p) : null;
      if (e != null) {
        c.used.add(n);
        out.add(e);
      }
    }
    return out;
  }

  private static HaEntity settable(HaMapping.Ctx c, PropertySpec p, boolean main) {
    String n = p.name();
    switch (p.type()) {
      case BOOL -> {
        Map<String, Object> m = c.base(n, "switch", main);
        m.put("state_topic", c.state());
        m.put("value_template", boolTemplate(n, "ON", "OFF"));
        m.put("command_topic", c.command(n, ""));
        return new HaEntity(n, "switch", m, Map.of("", HaCommands.onOff(n, "ON", "OFF")), false);
      }
      case ENUM -> {
        Map<String, Object> m = c.base(n, "select", false);
        m.put("state_topic", c.state());
        m.put("value_template", "{{ value_json." + n + " }}");
        m.put("command_topic", c.command(n, ""));
        m.put("options", p.values());
        return new HaEntity(n, "select", m, Map.of("", HaCommands.text(n)), false);
      }
      case INT, FLOAT -> {
        Map<String, Object> m = c.base(n, "number", false);
        m.put("state_topic", c.state());
        m.put("value_template", "{{ value_json." + n + " }}");
        m.put("command_topic", c.command(n, ""));
        if (p.min() != null) {
          m.put("min", p.min());
        }
        if (p.max() != null) {
          m.put("max", p.max());
        }
        m.put("step", p.step() != null ? p.step() : p.type() == PropertyType.INT ? 1 : 0.1);
        if (p.unit() != null) {
          m.put("unit_of_measurement", p.unit());
        }
        return new HaEntity(n, "number", m, Map.of("", HaCommands.number(p)), false);
      }
      default -> {
        return null; // a settable string has no component yet (docs/home-assistant.md, "Limits")
      }
    }
  }

  private static HaEntity reported(HaMapping.Ctx c, PropertySpec p) {
    String n = p.name();
    if (p.type() == PropertyType.BOOL) {
      Map<String, Object> m = c.base(n, "binary_sensor", false);
      m.put("state_topic", c.state());
      String cls = binaryClass(n);
      if (cls != null) {
        m.put("device_class", cls);
      }
      m.put("value_template", boolTemplate(n, "ON", "OFF"));
      return new HaEntity(n, "binary_sensor", m, Map.of(), false);
    }
    Map<String, Object> m = c.base(n, "sensor", false);
    m.put("state_topic", c.state());
    m.put("value_template", "{{ value_json." + n + " }}");
    if (p.type() == PropertyType.ENUM) {
      m.put("device_class", "enum");
      m.put("options", p.values());
    } else if (p.type() == PropertyType.INT || p.type() == PropertyType.FLOAT) {
      String cls = sensorClass(n, p.unit());
      if (cls != null) {
        m.put("device_class", cls);
      }
      m.put("state_class", "energy".equals(cls) ? "total_increasing" : "measurement");
      if (p.unit() != null) {
        m.put("unit_of_measurement", p.unit());
      }
      if ("battery".equals(cls)) {
        m.put("entity_category", "diagnostic");
      }
    }
    return new HaEntity(n, "sensor", m, Map.of(), false);
  }

  /** Home Assistant's sensor device class for a numeric property, by unit and name, or null. */
  static String sensorClass(String name, String unit) {
    String u = unit == null ? "" : unit;
    String n = name.toLowerCase(Locale.ROOT);
    return switch (u) {
      case "°C", "°F", "K" -> n.contains("temp") ? "temperature" : null;
      case "%" -> n.contains("humid") ? "humidity" : n.contains("battery") ? "battery" : null;
      case "W", "kW" -> "power";
      case "Wh", "kWh" -> "energy";
      case "V" -> "voltage";
      case "A" -> "current";
      case "lx" -> "illuminance";
      case "hPa", "Pa", "kPa" -> "pressure";
      case "ppm" -> n.contains("co2") ? "carbon_dioxide" : null;
      default -> null;
    };
  }

  /** Home Assistant's binary sensor device class for a bool property (on means open, motion, …), or null. */
  static String binaryClass(String name) {
    return switch (name) {
      case "open", "opening" -> "opening";
      case "door" -> "door";
      case "window" -> "window";
      case "motion" -> "motion";
      case "occupancy", "presence" -> "occupancy";
      case "leak", "water_leak", "moisture" -> "moisture";
      case "smoke" -> "smoke";
      case "tamper" -> "tamper";
      case "battery_low" -> "battery";
      default -> null;
    };
  }

  /** A template that renders {@code on}/{@code off} for true/false and {@code None} (unknown) for null. */
  static String boolTemplate(String property, String on, String off) {
    return "{{ none if value_json." + property + " is none else ('" + on + "' if value_json." + property
        + " else '" + off + "') }}";
  }

  /** {@code energy_kwh} → {@code Energy kwh}. */
  static String label(String objectId) {
    String s = objectId.replace('_', ' ');
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
