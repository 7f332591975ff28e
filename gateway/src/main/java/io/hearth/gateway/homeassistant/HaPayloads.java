package io.hearth.gateway.homeassistant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Hearth publishes for Home Assistant: the device-based discovery config of a device and of
 * the hub (keys checked against Home Assistant's MQTT discovery, {@code discovery.py}: {@code dev},
 * {@code o} and {@code cmps} at the root with the shared availability options only, since a
 * component inherits nothing else; {@code p} and {@code unique_id} in each component), a device's
 * state and a JSON light's state (docs/home-assistant.md).
 */
final class HaPayloads {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HaPayloads() {
  }

  /** What the discovery configs say about the publisher and the hub. */
  record Origin(String hubId, String version) {}

  static byte[] deviceConfig(DeviceDefinition device, Profile profile, String identifier, List<HaEntity> entities,
      HaTopics topics, Origin origin) {
    Map<String, Object> dev = new LinkedHashMap<>();
    dev.put("identifiers", List.of(identifier));
    dev.put("name", device.name());
    dev.put("manufacturer", "Hearth");
    dev.put("model", profile.name() + " (" + device.binding().protocol() + " " + device.binding().convention() + ")");
    dev.put("model_id", profile.id());
    if (device.room() != null) {
      dev.put("suggested_area", device.room());
    }
    dev.put("via_device", origin.hubId());
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("dev", dev);
    root.put("o", origin(origin));
    root.put("availability", List.of(Map.of("topic", topics.gatewayStatus()),
        Map.of("topic", topics.availability(device.id()))));
    root.put("availability_mode", "all");
    Map<String, Object> cmps = new LinkedHashMap<>();
    entities.forEach(e -> cmps.put(e.objectId(), e.config()));
    root.put("cmps", cmps);
    return bytes(root);
  }

  /** The hub itself: one connectivity sensor on the gateway's status topic (never unavailable). */
  static byte[] hubConfig(HaTopics topics, Origin origin) {
    Map<String, Object> dev = new LinkedHashMap<>();
    dev.put("identifiers", List.of(origin.hubId()));
    dev.put("name", "Hearth hub");
    dev.put("manufacturer", "Hearth");
    dev.put("model", "Hearth gateway");
    dev.put("sw_version", origin.version());
    Map<String, Object> connectivity = new LinkedHashMap<>();
    connectivity.put("p", "binary_sensor");
    connectivity.put("unique_id", origin.hubId() + "_connectivity");
    connectivity.put("name", "Connectivity");
    connectivity.put("device_class", "connectivity");
    connectivity.put("entity_category", "diagnostic");
    connectivity.put("state_topic", topics.gatewayStatus());
    connectivity.put("payload_on", "online");
    connectivity.put("payload_off", "offline");
    connectivity.put("qos", 1);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("dev", dev);
    root.put("o", origin(origin));
    root.put("cmps", Map.of("connectivity", connectivity));
    return bytes(root);
  }

  private static Map<String, Object> origin(Origin origin) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("name", "Hearth");
    o.put("sw_version", origin.version());
    return o;
  }

  /** Every property the binding reports, null while unknown (templates render it as unknown). */
  static byte[] state(List<String> reported, Map<String, Object> state) {
    Map<String, Object> out = new LinkedHashMap<>();
    reported.forEach(p -> out.put(p, state.get(p)));
    return bytes(out);
  }

  /**
   * A JSON light's state: {@code {"state":"ON","brightness":50,"color_mode":"color_temp","color_temp":3000}};
   * brightness on the profile's scale, color temperature in kelvin, as its discovery config says.
   */
  static byte[] lightState(Map<String, Object> state, boolean colorTemp) {
    Map<String, Object> out = new LinkedHashMap<>();
    Object power = state.get("power");
    out.put("state", power == null ? null : Boolean.TRUE.equals(power) ? "ON" : "OFF");
    if (state.get("brightness") != null) {
      out.put("brightness", state.get("brightness"));
    }
    Object ct = state.get("color_temp");
    // Home Assistant reads color_temp whenever color_mode is there (schema_json.py _update_color):
    // no color_mode while the temperature is unknown
    if (!colorTemp) {
      out.put("color_mode", "brightness");
    } else if (ct != null) {
      out.put("color_mode", "color_temp");
      out.put("color_temp", ct);
    }
    return bytes(out);
  }

  static byte[] bytes(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
