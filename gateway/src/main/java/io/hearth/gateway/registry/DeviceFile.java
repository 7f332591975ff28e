package io.hearth.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.hearth.gateway.api.ApiException.FieldError;
import io.hearth.gateway.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads {@code devices.yaml}: the initial registry ({@code docs/devices.md}). */
public final class DeviceFile {
  private static final ObjectMapper YAML = io.hearth.gateway.config.Yaml.MAPPER;

  private DeviceFile() {}

  /** Loads and checks every entry; the first problem fails with one line naming the file and entry. */
  public static List<DeviceDefinition> load(Path file, Map<String, Profile> profiles) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      throw new ConfigException("cannot read devices file " + file + ": " + m.lines().findFirst().orElse(m));
    }
    List<DeviceDefinition> out = new ArrayList<>();
    if (root == null || root.isNull() || root.isMissingNode()) {
      return out;
    }
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
      DeviceParser.Result r = DeviceParser.parse(list.get(i), profiles);
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
