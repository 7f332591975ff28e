package io.hearth.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.adapter.Transports;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.adapter.mqtt.MqttTransport;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.hearth.gateway.config.ConfigException;
import io.hearth.gateway.domain.FieldError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code devices.yaml}: the initial registry (docs/devices.md). Its {@code bridges:} are
 * made known to the MQTT transport ({@link MqttTransport#addBridge}) before any device is parsed,
 * so {@code binding.bridge} may name them.
 */
public final class DeviceFile {
  private static final ObjectMapper YAML = io.hearth.gateway.config.Yaml.MAPPER;

  private DeviceFile() {}

  /** Loads and checks every entry; the first problem fails with one line naming the file and entry. */
  public static List<DeviceDefinition> load(Path file, Map<String, Profile> profiles, Transports transports) {
    JsonNode root = read(file);
    List<DeviceDefinition> out = new ArrayList<>();
    if (root == null || root.isNull() || root.isMissingNode()) {
      return out;
    }
    if (root.isObject()) {
      loadBridges(file, root.get("bridges"), transports);
    }
    return devices(file, root, profiles, transports);
  }

  /** The file's {@code bridges:} (none when absent), each made known to the MQTT transport. */
  private static void loadBridges(Path file, JsonNode list, Transports transports) {
    if (list == null || list.isNull() || (list.isTextual() && list.asText().isEmpty())) {
      return;
    }
    if (!list.isArray()) {
      throw new ConfigException("devices file " + file + ": 'bridges:' must be a list");
    }
    MqttTransport mqtt = transports.find(MqttBinding.PROTOCOL).map(MqttTransport.class::cast).orElseThrow(
        () -> new ConfigException("devices file " + file + ": 'bridges:' needs the MQTT transport"));
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      BridgeParser.Result r = BridgeParser.parse(list.get(i), true);
      String where = "devices file " + file + ", bridge " + (i + 1)
          + (list.get(i).hasNonNull("id") ? " (" + list.get(i).get("id").asText() + ")" : "");
      if (!r.ok()) {
        FieldError e = r.errors().get(0);
        throw new ConfigException(where + ": " + (e.property().isEmpty() ? "" : e.property() + " ") + e.message());
      }
      if (!ids.add(r.bridge().id())) {
        throw new ConfigException(where + ": duplicate bridge id '" + r.bridge().id() + "'");
      }
      mqtt.addBridge(r.bridge());
    }
  }

  private static JsonNode read(Path file) {
    try {
      return YAML.readTree(Files.readAllBytes(file));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ConfigException("devices file " + file.toAbsolutePath() + " (config key 'devices') does not exist:"
          + " create it, or remove the key to start without one");
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      throw new ConfigException("cannot read devices file " + file + ": " + m.lines().findFirst().orElse(m));
    }
  }

  private static List<DeviceDefinition> devices(Path file, JsonNode root, Map<String, Profile> profiles,
      Transports transports) {
    List<DeviceDefinition> out = new ArrayList<>();
    JsonNode list = root.get("devices");
    if (list != null && list.isTextual() && list.asText().isEmpty()) {
      list = null; // "devices:" with nothing after it
    }
    if (!root.isObject() || (list != null && !list.isNull() && !list.isArray())) {
      throw new ConfigException("devices file " + file + " must hold 'devices:' with a list");
    }
    if (list == null || list.isNull()) {
      return out;
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      DeviceParser.Result r = DeviceParser.parse(list.get(i), profiles, transports);
      String where = "devices file " + file + ", entry " + (i + 1)
          + (list.get(i).hasNonNull("id") ? " (" + list.get(i).get("id").asText() + ")" : "");
      if (!r.ok()) {
        FieldError e = r.errors().get(0);
        throw new ConfigException(where + ": " + (e.property().isEmpty() ? "" : e.property() + " ") + e.message());
      }
      if (!ids.add(r.device().id())) {
        throw new ConfigException(where + ": duplicate device id '" + r.device().id() + "'");
      }
      out.add(r.device());
    }
    return out;
  }
}
