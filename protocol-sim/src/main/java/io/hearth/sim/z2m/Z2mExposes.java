package io.hearth.sim.z2m;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code definition} of each simulated Zigbee device as Zigbee2MQTT publishes it in
 * {@code <base>/bridge/devices} ({@code Bridge.getDefinitionPayload}, lib/extension/bridge.ts): the
 * expose objects are built exactly as zigbee-herdsman-converters' {@code src/lib/exposes.ts} builds
 * them ({@code Binary}, {@code Numeric}, {@code Enum}, {@code Light}, {@code Switch}, {@code Lock},
 * {@code Cover}, {@code Climate} and the {@code presets} helpers), plus the {@code linkquality} expose
 * Zigbee2MQTT appends ({@code Device.exposes}, lib/model/device.ts). Keys are written sorted, as
 * {@code json-stable-stringify} does. Vendor and model name the simulator, not a real product.
 */
final class Z2mExposes {

  /** exposes.ts {@code access}: STATE 1, SET 2, GET 4. */
  static final int STATE = 1;
  static final int SET = 2;
  static final int STATE_SET = 3;
  static final int STATE_GET = 5;
  static final int ALL = 7;

  private Z2mExposes() {
  }

  /** {@code getLabelFromName}: underscores to spaces, first letter upper-case. */
  static String label(String name) {
    String l = name.replace('_', ' ');
    return l.isEmpty() ? l : Character.toUpperCase(l.charAt(0)) + l.substring(1);
  }

  private static Map<String, Object> base(String type, String name, int access) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("name", name);
    m.put("label", label(name));
    m.put("property", name);
    m.put("access", access);
    return m;
  }

  static Map<String, Object> binary(String name, int access, Object on, Object off, String description) {
    Map<String, Object> m = base("binary", name, access);
    m.put("value_on", on);
    m.put("value_off", off);
    m.put("description", description);
    return m;
  }

  static Map<String, Object> numeric(String name, int access, String unit, Number min, Number max, String description) {
    Map<String, Object> m = base("numeric", name, access);
    if (unit != null) {
      m.put("unit", unit);
    }
    if (min != null) {
      m.put("value_min", min);
    }
    if (max != null) {
      m.put("value_max", max);
    }
    m.put("description", description);
    return m;
  }

  static Map<String, Object> enumeration(String name, int access, List<String> values, String description) {
    Map<String, Object> m = base("enum", name, access);
    m.put("values", values);
    m.put("description", description);
    return m;
  }

  private static Map<String, Object> composite(String type, List<Map<String, Object>> features) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("features", features);
    return m;
  }

  private static Map<String, Object> diagnostic(Map<String, Object> m) {
    m.put("category", "diagnostic");
    return m;
  }

  private static Map<String, Object> config(Map<String, Object> m) {
    m.put("category", "config");
    return m;
  }

  /** {@code Light.withColorTemp} presets. */
  private static List<Map<String, Object>> ctPresets(int min, int max, boolean startup) {
    List<Map<String, Object>> p = new ArrayList<>();
    Object[][] all = {{"coolest", min, "Coolest temperature supported"},
        {"cool", 250, "Cool temperature (250 mireds / 4000 Kelvin)"},
        {"neutral", 370, "Neutral temperature (370 mireds / 2700 Kelvin)"},
        {"warm", 454, "Warm temperature (454 mireds / 2200 Kelvin)"},
        {"warmest", max, "Warmest temperature supported"}};
    for (Object[] a : all) {
      int v = (Integer) a[1];
      if (v >= min && v <= max) {
        p.add(Map.of("name", a[0], "value", v, "description", a[2]));
      }
    }
    if (startup) {
      p.add(Map.of("name", "previous", "value", 65535, "description", "Restore previous color_temp on cold power on"));
    }
    return p;
  }

  /** {@code e.light_brightness_colortemp([min, max])}. */
  static Map<String, Object> lightBrightnessColortemp(int min, int max) {
    Map<String, Object> state = binary("state", ALL, "ON", "OFF", "On/off state of this light");
    state.put("value_toggle", "TOGGLE");
    Map<String, Object> ct = numeric("color_temp", ALL, "mired", min, max, "Color temperature of this light");
    ct.put("presets", ctPresets(min, max, false));
    Map<String, Object> ctStartup = numeric("color_temp_startup", ALL, "mired", min, max,
        "Color temperature after cold power on of this light");
    ctStartup.put("presets", ctPresets(min, max, true));
    return composite("light", List.of(state,
        numeric("brightness", ALL, null, 0, 254, "Brightness of this light"), ct, ctStartup));
  }

  /** {@code e.switch()}. */
  static Map<String, Object> switchExpose() {
    Map<String, Object> state = binary("state", ALL, "ON", "OFF", "On/off state of the switch");
    state.put("value_toggle", "TOGGLE");
    return composite("switch", List.of(state));
  }

  /** {@code e.lock()}. */
  static Map<String, Object> lock() {
    return composite("lock", List.of(binary("state", ALL, "LOCK", "UNLOCK", "State of the lock"),
        enumeration("lock_state", STATE, List.of("not_fully_locked", "locked", "unlocked"), "Actual state of the lock")));
  }

  /** {@code e.cover_position()}. */
  static Map<String, Object> coverPosition() {
    Map<String, Object> state = base("enum", "state", STATE_SET);
    state.put("values", List.of("OPEN", "CLOSE", "STOP"));
    return composite("cover", List.of(state,
        numeric("position", ALL, "%", 0, 100, "Position of this cover")));
  }

  /** {@code e.climate().withSetpoint(...).withLocalTemperature().withSystemMode(...).withRunningState(...)}. */
  static Map<String, Object> climate() {
    Map<String, Object> sp = numeric("occupied_heating_setpoint", ALL, "°C", 5, 35, "Temperature setpoint");
    sp.put("value_step", 0.5);
    return composite("climate", List.of(sp,
        numeric("local_temperature", STATE_GET, "°C", null, null, "Current temperature measured on the device"),
        enumeration("system_mode", ALL, List.of("off", "auto", "cool", "heat"), "Mode of this device"),
        enumeration("running_state", STATE_GET, List.of("idle", "heat", "cool"), "The current running state")));
  }

  static Map<String, Object> powerOnBehavior() {
    Map<String, Object> m = enumeration("power_on_behavior", ALL, List.of("off", "on", "toggle", "previous"),
        "Controls the behavior when the device is powered on after power loss");
    m.put("label", "Power-on behavior");
    return config(m);
  }

  static Map<String, Object> battery() {
    return diagnostic(numeric("battery", STATE, "%", 0, 100,
        "Remaining battery in %, can take up to 24 hours before reported"));
  }

  static Map<String, Object> linkquality() {
    return diagnostic(numeric("linkquality", STATE, "lqi", 0, 255, "Link quality (signal strength)"));
  }

  /** The exposes of a profile, {@code linkquality} last. */
  static List<Map<String, Object>> of(String profile) {
    List<Map<String, Object>> e = new ArrayList<>();
    switch (profile) {
      case "light.dimmable":
        e.add(lightBrightnessColortemp(153, 500));
        e.add(enumeration("effect", SET, List.of("blink", "breathe", "okay", "channel_change", "finish_effect",
            "stop_effect"), "Triggers an effect on the light (e.g. make light blink for a few seconds)"));
        e.add(powerOnBehavior());
        break;
      case "plug":
        e.add(switchExpose());
        e.add(numeric("power", STATE, "W", null, null, "Instantaneous measured power"));
        e.add(numeric("current", STATE, "A", null, null, "Instantaneous measured electrical current"));
        e.add(numeric("voltage", STATE, "V", null, null, "Measured electrical potential value"));
        e.add(numeric("energy", STATE, "kWh", null, null, "Sum of consumed energy"));
        e.add(powerOnBehavior());
        break;
      case "lock":
        e.add(lock());
        e.add(battery());
        break;
      case "sensor.contact":
        Map<String, Object> contact = binary("contact", STATE, false, true,
            "Indicates if the contact is closed (= true) or open (= false)");
        e.add(contact);
        e.add(battery());
        break;
      case "thermostat":
        e.add(climate());
        break;
      case "sensor.climate":
        e.add(numeric("temperature", STATE, "°C", null, null, "Measured temperature value"));
        e.add(numeric("humidity", STATE, "%", null, null, "Measured relative humidity"));
        e.add(battery());
        break;
      case "curtain":
        e.add(coverPosition());
        break;
      default:
        throw new IllegalArgumentException("profile " + profile + " has no zigbee2mqtt definition");
    }
    e.add(linkquality());
    return e;
  }

  /** Whether the device runs on batteries (Zigbee end device) rather than mains (router). */
  static boolean battery(String profile) {
    return List.of("lock", "sensor.contact", "sensor.climate").contains(profile);
  }
}
