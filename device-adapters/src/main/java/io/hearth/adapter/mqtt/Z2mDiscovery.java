package io.hearth.adapter.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.adapter.Discovered;
import io.hearth.adapter.payload.MalformedPayloadException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Discovery entries from a Zigbee2MQTT bridge's retained {@code <base>/bridge/devices}
 * (Zigbee2MQTT's {@code Bridge.publishDevices}, lib/extension/bridge.ts): one {@link Discovered} per
 * device that is not the coordinator, keyed by its IEEE address, with a profile guessed from its
 * {@code definition.exposes} (docs/conventions-mqtt.md, "Discovery from a bridge").
 */
final class Z2mDiscovery {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Z2mDiscovery() {}

  /** The discovery source of a bridge: {@code zigbee2mqtt:<bridge id>}. */
  static String source(MqttBridge bridge) {
    return "zigbee2mqtt:" + bridge.id();
  }

  /**
   * Every non-coordinator device of the list.
   *
   * @throws MalformedPayloadException if the payload is not a JSON array
   */
  static List<Discovered> parse(MqttBridge bridge, byte[] payload, Instant seenAt) {
    JsonNode list;
    try {
      list = JSON.readTree(payload);
    } catch (IOException e) {
      throw new MalformedPayloadException("bridge/devices is not JSON");
    }
    if (list == null || !list.isArray()) {
      throw new MalformedPayloadException("bridge/devices is not a JSON array");
    }
    List<Discovered> out = new ArrayList<>();
    for (JsonNode d : list) {
      String ieee = text(d, "ieee_address");
      String name = text(d, "friendly_name");
      if (ieee == null || name == null || "Coordinator".equals(text(d, "type"))) {
        continue;
      }
      JsonNode def = d.get("definition");
      Map<String, Object> binding = new LinkedHashMap<>();
      binding.put("protocol", MqttBinding.PROTOCOL);
      binding.put("convention", Zigbee2MqttConvention.NAME);
      binding.put("bridge", bridge.id());
      binding.put("topic", name);
      Map<String, Object> details = new LinkedHashMap<>();
      if (def != null && def.isObject()) {
        putText(details, "model", def, "model");
        putText(details, "vendor", def, "vendor");
        putText(details, "description", def, "description");
      }
      putText(details, "power_source", d, "power_source");
      if (d.has("supported")) {
        details.put("supported", d.get("supported").asBoolean());
      }
      if (d.has("interview_completed")) {
        details.put("interview_completed", d.get("interview_completed").asBoolean());
      }
      String profile = def != null && def.isObject() ? guessProfile(def.get("exposes")) : null;
      out.add(new Discovered(source(bridge), ieee, suggestId(name, ieee), name, profile, binding, details, seenAt));
    }
    return out;
  }

  /**
   * The profile the exposes fit: light with brightness → {@code light.dimmable}, lock →
   * {@code lock}, cover → {@code curtain}, climate → {@code thermostat}, switch → {@code plug}
   * (with or without {@code power}), binary {@code contact} → {@code sensor.contact},
   * {@code temperature}/{@code humidity} → {@code sensor.climate}; null when nothing fits.
   */
  static String guessProfile(JsonNode exposes) {
    if (exposes == null || !exposes.isArray()) {
      return null;
    }
    Set<String> types = new HashSet<>();
    Set<String> names = new HashSet<>();
    Set<String> lightFeatures = new HashSet<>();
    for (JsonNode e : exposes) {
      String type = text(e, "type");
      if (type != null) {
        types.add(type);
      }
      String name = text(e, "name");
      if (name != null) {
        names.add(name);
      }
      if ("light".equals(type) && e.get("features") != null) {
        e.get("features").forEach(f -> {
          String n = text(f, "name");
          if (n != null) {
            lightFeatures.add(n);
          }
        });
      }
    }
    if (types.contains("light") && lightFeatures.contains("brightness")) {
      return "light.dimmable";
    }
    if (types.contains("lock")) {
      return "lock";
    }
    if (types.contains("cover")) {
      return "curtain";
    }
    if (types.contains("climate")) {
      return "thermostat";
    }
    if (types.contains("switch")) {
      return "plug";
    }
    if (names.contains("contact")) {
      return "sensor.contact";
    }
    if (names.contains("temperature") || names.contains("humidity")) {
      return "sensor.climate";
    }
    return null;
  }

  /** A valid device id from the friendly name ({@code Hall Light} → {@code hall-light}). */
  static String suggestId(String friendlyName, String ieee) {
    String id = friendlyName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("^-+|-+$", "");
    if (id.isEmpty()) {
      id = "z2m-" + ieee.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
    return id.length() > 64 ? id.substring(0, 64) : id;
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n == null ? null : n.get(key);
    return v == null || !v.isTextual() ? null : v.textValue();
  }

  private static void putText(Map<String, Object> out, String key, JsonNode n, String field) {
    String v = text(n, field);
    if (v != null) {
      out.put(key, v);
    }
  }
}
