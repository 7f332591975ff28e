package io.hearth.gateway.homeassistant;

import io.hearth.adapter.Supports;
import io.hearth.device.Profile;
import io.hearth.device.PropertySpec;
import io.hearth.device.PropertyType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps a device's profile, as far as its binding carries it ({@link Supports}), to Home Assistant
 * components (docs/home-assistant.md, "What maps to what"): first the whole-device features — a
 * light ({@code power} with {@code brightness}), a lock ({@code locked}), a cover ({@code position}),
 * a climate ({@code target_temp}) — then every property left over as a switch, number, select,
 * sensor or binary sensor ({@link HaPlainEntities}). Pure: no MQTT, no state.
 */
final class HaMapping {
  /** Home Assistant's HVAC modes a Hearth {@code mode} value may be. */
  static final Set<String> HVAC_MODES = Set.of("off", "heat", "cool", "auto", "heat_cool", "dry", "fan_only");

  private HaMapping() {
  }

  /**
   * @param uniquePrefix the device's identifier, prefix of every component's {@code unique_id}
   */
  static List<HaEntity> entities(String deviceId, Profile profile, Supports supports, HaTopics topics,
      String uniquePrefix) {
    Ctx c = new Ctx(deviceId, profile, supports, topics, uniquePrefix);
    List<HaEntity> out = new ArrayList<>();
    light(c).ifPresent(out::add);
    lock(c).ifPresent(out::add);
    cover(c).ifPresent(out::add);
    climate(c).ifPresent(out::add);
    out.addAll(HaPlainEntities.rest(c, out.isEmpty()));
    return out;
  }

  /** What one mapping needs, and which properties are taken. */
  static final class Ctx {
    final String deviceId;
    final Profile profile;
    final Supports supports;
    final HaTopics topics;
    final String uniquePrefix;
    final Set<String> used = new HashSet<>();

    Ctx(String deviceId, Profile profile, Supports supports, HaTopics topics, String uniquePrefix) {
      this.deviceId = deviceId;
      this.profile = profile;
      this.supports = supports;
      this.topics = topics;
      this.uniquePrefix = uniquePrefix;
    }

    /** The property if the binding reports it and nothing took it yet. */
    PropertySpec readable(String name) {
      PropertySpec p = profile.property(name);
      return p != null && supports.read().contains(name) && !used.contains(name) ? p : null;
    }

    /** The property if a command may set it and nothing took it yet. */
    PropertySpec settable(String name) {
      PropertySpec p = profile.property(name);
      return p != null && supports.canSet(name) && !used.contains(name) ? p : null;
    }

    /** The first of {@code names} that is settable and of one of {@code types}. */
    PropertySpec settable(List<String> names, PropertyType... types) {
      for (String n : names) {
        PropertySpec p = settable(n);
        if (p != null && List.of(types).contains(p.type())) {
          return p;
        }
      }
      return null;
    }

    Map<String, Object> base(String objectId, String platform, boolean main) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("p", platform);
      m.put("unique_id", uniquePrefix + "_" + objectId);
      m.put("name", main ? null : HaPlainEntities.label(objectId));
      m.put("qos", 1); // a component inherits no qos from the device config's root
      return m;
    }

    String state() {
      return topics.state(deviceId);
    }

    String command(String objectId, String kind) {
      return topics.command(deviceId, objectId, kind);
    }
  }

  private static java.util.Optional<HaEntity> light(Ctx c) {
    PropertySpec power = c.settable(List.of("power"), PropertyType.BOOL);
    PropertySpec brightness = power == null ? null : c.settable(List.of("brightness"), PropertyType.INT,
        PropertyType.FLOAT);
    if (brightness == null) {
      return java.util.Optional.empty();
    }
    PropertySpec ct = c.settable(List.of("color_temp"), PropertyType.INT, PropertyType.FLOAT);
    if (ct != null && !"K".equals(ct.unit())) {
      ct = null; // only kelvin maps to color_temp_kelvin
    }
    String id = "light";
    Map<String, Object> m = c.base(id, "light", true);
    m.put("schema", "json");
    m.put("state_topic", c.topics.lightState(c.deviceId, id));
    m.put("command_topic", c.command(id, ""));
    m.put("brightness", true);
    m.put("flash", false); // Hearth ignores flash and transition: Home Assistant offers neither
    m.put("transition", false);
    m.put("brightness_scale", (int) Math.max(1, Math.round(brightness.max() == null ? 100 : brightness.max())));
    if (ct != null) {
      m.put("supported_color_modes", List.of("color_temp"));
      m.put("color_temp_kelvin", true);
      m.put("min_kelvin", (int) Math.round(ct.min() == null ? 2000 : ct.min()));
      m.put("max_kelvin", (int) Math.round(ct.max() == null ? 6535 : ct.max()));
    } else {
      m.put("supported_color_modes", List.of("brightness"));
    }
    c.used.add(power.name());
    c.used.add(brightness.name());
    if (ct != null) {
      c.used.add(ct.name());
    }
    return java.util.Optional.of(new HaEntity(id, "light", m,
        Map.of("", HaCommands.jsonLight(power.name(), brightness, ct)), true));
  }

  private static java.util.Optional<HaEntity> lock(Ctx c) {
    PropertySpec locked = c.settable(List.of("locked"), PropertyType.BOOL);
    if (locked == null) {
      return java.util.Optional.empty();
    }
    String id = "lock";
    Map<String, Object> m = c.base(id, "lock", true);
    m.put("state_topic", c.state());
    m.put("value_template", HaPlainEntities.boolTemplate(locked.name(), "LOCKED", "UNLOCKED"));
    m.put("command_topic", c.command(id, ""));
    c.used.add(locked.name());
    return java.util.Optional.of(new HaEntity(id, "lock", m,
        Map.of("", HaCommands.onOff(locked.name(), "LOCK", "UNLOCK")), false));
  }

  private static java.util.Optional<HaEntity> cover(Ctx c) {
    PropertySpec position = c.settable(List.of("position"), PropertyType.INT);
    if (position == null) {
      return java.util.Optional.empty();
    }
    boolean actions = c.supports.canCall("open") && c.supports.canCall("close") && c.supports.canCall("stop");
    String id = "cover";
    Map<String, Object> m = c.base(id, "cover", true);
    m.put("command_topic", c.command(id, ""));
    if (!actions) {
      m.put("payload_stop", null); // no stop button
    }
    m.put("position_topic", c.state());
    m.put("position_template", "{{ value_json." + position.name() + " }}");
    m.put("set_position_topic", c.command(id, "position"));
    m.put("position_open", (int) Math.round(position.max() == null ? 100 : position.max()));
    m.put("position_closed", (int) Math.round(position.min() == null ? 0 : position.min()));
    c.used.add(position.name());
    return java.util.Optional.of(new HaEntity(id, "cover", m, Map.of(
        "", HaCommands.cover(position, actions),
        "position", HaCommands.number(position)), false));
  }

  private static java.util.Optional<HaEntity> climate(Ctx c) {
    PropertySpec target = c.settable(List.of("target_temp", "target_temperature", "setpoint"), PropertyType.FLOAT,
        PropertyType.INT);
    if (target == null) {
      return java.util.Optional.empty();
    }
    String id = "climate";
    Map<String, Object> m = c.base(id, "climate", true);
    Map<String, HaEntity.Parser> commands = new LinkedHashMap<>();
    m.put("temperature_command_topic", c.command(id, "temperature"));
    m.put("temperature_state_topic", c.state());
    m.put("temperature_state_template", "{{ value_json." + target.name() + " }}");
    commands.put("temperature", HaCommands.number(target));
    c.used.add(target.name());
    for (String n : List.of("current_temp", "current_temperature", "local_temperature")) {
      PropertySpec current = c.readable(n);
      if (current != null) {
        m.put("current_temperature_topic", c.state());
        m.put("current_temperature_template", "{{ value_json." + n + " }}");
        c.used.add(n);
        break;
      }
    }
    PropertySpec mode = c.settable(List.of("mode", "hvac_mode", "system_mode"), PropertyType.ENUM);
    List<String> modes = mode == null ? List.of() : mode.values().stream().filter(HVAC_MODES::contains).toList();
    if (!modes.isEmpty()) {
      m.put("modes", modes);
      m.put("mode_command_topic", c.command(id, "mode"));
      m.put("mode_state_topic", c.state());
      m.put("mode_state_template", "{{ value_json." + mode.name() + " }}");
      commands.put("mode", HaCommands.text(mode.name()));
      c.used.add(mode.name());
    } else {
      m.put("modes", List.of("heat")); // a setpoint alone: always heating
    }
    m.put("temperature_unit", "°F".equals(target.unit()) ? "F" : "C");
    if (target.min() != null) {
      m.put("min_temp", target.min());
    }
    if (target.max() != null) {
      m.put("max_temp", target.max());
    }
    m.put("temp_step", target.step() != null ? target.step() : target.type() == PropertyType.INT ? 1 : 0.1);
    m.put("precision", target.step() == null ? 0.1 : target.step() >= 1 ? 1.0 : target.step() == 0.5 ? 0.5 : 0.1);
    return java.util.Optional.of(new HaEntity(id, "climate", m, commands, false));
  }
}
