package io.hearth.adapter;

import io.hearth.device.ActionSpec;
import io.hearth.device.Profile;
import io.hearth.device.PropertySpec;
import io.hearth.device.PropertyType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shipped profiles (config/profiles/*.yaml) as records, for tests of what a convention carries:
 * property names, types, writability and ranges, and action names, in the files' order.
 */
public final class TestProfiles {
  private TestProfiles() {}

  public static Profile get(String id) {
    return switch (id) {
      case "light.dimmable" -> profile(id, List.of(rw("power", PropertyType.BOOL, null, null),
          rw("brightness", PropertyType.INT, 0.0, 100.0), rw("color_temp", PropertyType.INT, 2000.0, 6500.0)),
          "blink");
      case "plug" -> profile(id, List.of(rw("power", PropertyType.BOOL, null, null),
          r("power_w", PropertyType.FLOAT), r("energy_kwh", PropertyType.FLOAT)));
      case "lock" -> profile(id, List.of(rw("locked", PropertyType.BOOL, null, null)));
      case "curtain" -> profile(id, List.of(rw("position", PropertyType.INT, 0.0, 100.0)), "open", "close", "stop");
      case "thermostat" -> profile(id, List.of(rw("target_temp", PropertyType.FLOAT, 5.0, 35.0),
          r("current_temp", PropertyType.FLOAT), new PropertySpec("mode", PropertyType.ENUM, true, null, null, null,
              null, List.of("off", "heat", "cool", "auto"), null)));
      case "sensor.contact" -> profile(id, List.of(r("open", PropertyType.BOOL)));
      case "sensor.climate" -> profile(id, List.of(r("temperature", PropertyType.FLOAT),
          r("humidity", PropertyType.FLOAT), r("battery", PropertyType.INT)));
      default -> throw new IllegalArgumentException(id);
    };
  }

  private static PropertySpec rw(String name, PropertyType type, Double min, Double max) {
    return new PropertySpec(name, type, true, min, max, null, null, null, null);
  }

  private static PropertySpec r(String name, PropertyType type) {
    return new PropertySpec(name, type, false, null, null, null, null, null, null);
  }

  private static Profile profile(String id, List<PropertySpec> props, String... actions) {
    Map<String, PropertySpec> p = new LinkedHashMap<>();
    props.forEach(s -> p.put(s.name(), s));
    Map<String, ActionSpec> a = new LinkedHashMap<>();
    for (String name : actions) {
      a.put(name, new ActionSpec(name, Map.of()));
    }
    return new Profile(id, id, p, a, Map.of());
  }
}
