package io.hearth.gateway.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.device.ActionSpec;
import io.hearth.device.EventSpec;
import io.hearth.device.Profile;
import io.hearth.device.PropertySpec;
import io.hearth.device.PropertyType;
import io.hearth.gateway.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads thing-model profiles ({@code <id>.yaml} or {@code .json}): the built-in ones inside the jar
 * ({@code config/profiles/} in the repository, listed by its {@code index.txt}) and those of a
 * configured folder, which add to them or replace one of the same id (docs/devices.md).
 */
public final class ProfileLoader {
  private static final ObjectMapper YAML = io.hearth.gateway.config.Yaml.MAPPER;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BUILT_IN = "io/hearth/gateway/profile/builtin/";
  private static final Set<String> PROFILE_KEYS = Set.of("id", "name", "description", "properties", "actions", "events");
  private static final Set<String> ACTION_KEYS = Set.of("input", "description");
  private static final Set<String> EVENT_KEYS = Set.of("data", "description");
  private static final Set<String> PROPERTY_KEYS =
      Set.of("type", "mode", "min", "max", "step", "unit", "values", "maxLength", "description");

  private ProfileLoader() {}

  /**
   * The built-in profiles, then those of {@code folder} (null: none) over them: a folder profile with
   * a built-in id replaces it. Fails with a one-line reason naming the file.
   */
  public static Map<String, Profile> withBuiltIns(Path folder) {
    Map<String, Profile> profiles = builtIns();
    if (folder != null) {
      profiles.putAll(loadFolder(folder));
    }
    return profiles;
  }

  /** The profiles packaged with the gateway, by id. */
  public static Map<String, Profile> builtIns() {
    Map<String, Profile> profiles = new LinkedHashMap<>();
    for (String name : resourceText(BUILT_IN + "index.txt").lines().map(String::trim).filter(l -> !l.isEmpty())
        .toList()) {
      String resource = BUILT_IN + name;
      Profile p = parse(resource, resourceText(resource).getBytes(StandardCharsets.UTF_8), name.endsWith(".json"));
      profiles.put(p.id(), p);
    }
    return profiles;
  }

  private static String resourceText(String resource) {
    try (InputStream in = ProfileLoader.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("built-in profile resource " + resource + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads every profile in the folder; fails with a one-line reason naming the file. */
  public static Map<String, Profile> loadFolder(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new ConfigException("profiles folder " + folder.toAbsolutePath() + " (config key 'profiles') does not exist"
          + " or is not a folder: create it, or remove the key to use the built-in profiles only");
    }
    Map<String, Profile> profiles = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")
          || p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new ConfigException("cannot read profiles folder " + folder + ": " + e.getMessage());
    }
    for (Path file : files) {
      Profile p = loadFile(file);
      if (profiles.putIfAbsent(p.id(), p) != null) {
        throw new ConfigException("profile file " + file + ": duplicate profile id '" + p.id() + "'");
      }
    }
    return profiles;
  }

  /** Loads one profile file. */
  public static Profile loadFile(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read profile file " + file + ": " + firstLine(e.getMessage()));
    }
    return parse(file.toString(), bytes, file.toString().endsWith(".json"));
  }

  private static Profile parse(String file, byte[] bytes, boolean json) {
    JsonNode root;
    try {
      root = (json ? JSON : YAML).readTree(bytes);
    } catch (IOException e) {
      throw new ConfigException("cannot read profile file " + file + ": " + firstLine(e.getMessage()));
    }
    try {
      return parse(root);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("profile file " + file + ": " + e.getMessage());
    }
  }

  /** Parses a profile from its JSON/YAML tree. */
  public static Profile parse(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("must be a mapping");
    }
    refuseUnknownKeys(root, PROFILE_KEYS, "");
    String id = text(root, "id");
    if (id == null || !id.matches("[a-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("'id' must be 1-64 characters of [a-z0-9_.-]");
    }
    Map<String, PropertySpec> properties = fields(root.get("properties"), "properties", true);
    Map<String, ActionSpec> actions = new LinkedHashMap<>();
    forEach(root.get("actions"), "actions", (name, node) -> refuseUnknownKeys(node, ACTION_KEYS, "actions." + name + "."));
    forEach(root.get("events"), "events", (name, node) -> refuseUnknownKeys(node, EVENT_KEYS, "events." + name + "."));
    forEach(root.get("actions"), "actions", (name, node) ->
        actions.put(name, new ActionSpec(name, fields(node.get("input"), "actions." + name + ".input", false))));
    Map<String, EventSpec> events = new LinkedHashMap<>();
    forEach(root.get("events"), "events", (name, node) ->
        events.put(name, new EventSpec(name, fields(node.get("data"), "events." + name + ".data", false))));
    return new Profile(id, text(root, "name"), properties, actions, events);
  }

  private static Map<String, PropertySpec> fields(JsonNode node, String where, boolean withMode) {
    Map<String, PropertySpec> out = new LinkedHashMap<>();
    forEach(node, where, (name, spec) -> out.put(name, property(name, spec, where + "." + name, withMode)));
    return out;
  }

  private static PropertySpec property(String name, JsonNode n, String where, boolean withMode) {
    n.fieldNames().forEachRemaining(k -> {
      if (!PROPERTY_KEYS.contains(k)) {
        throw new IllegalArgumentException(where + ": unknown key '" + k + "'");
      }
    });
    PropertyType type;
    try {
      type = PropertyType.parse(text(n, "type"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
    String mode = n.hasNonNull("mode") ? n.get("mode").asText() : (withMode ? "r" : "rw");
    if (!mode.equals("r") && !mode.equals("rw")) {
      throw new IllegalArgumentException(where + ": mode must be r or rw, not '" + mode + "'");
    }
    List<String> values = new ArrayList<>();
    if (n.has("values")) {
      if (!n.get("values").isArray()) {
        throw new IllegalArgumentException(where + ": values must be a list");
      }
      n.get("values").forEach(v -> values.add(v.asText()));
    }
    try {
      return new PropertySpec(name, type, mode.equals("rw"), number(n, "min", where), number(n, "max", where),
          number(n, "step", where), text(n, "unit"), values,
          maxLength(n, where));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }

  private interface FieldVisitor {
    void visit(String name, JsonNode node);
  }

  private static void forEach(JsonNode node, String where, FieldVisitor visitor) {
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("'" + where + "' must be a mapping");
    }
    node.fields().forEachRemaining(e -> {
      JsonNode v = e.getValue();
      if (v == null || v.isNull()) {
        v = YAML.createObjectNode();
      }
      if (!v.isObject()) {
        throw new IllegalArgumentException("'" + where + "." + e.getKey() + "' must be a mapping");
      }
      visitor.visit(e.getKey(), v);
    });
  }

  private static void refuseUnknownKeys(JsonNode n, Set<String> known, String prefix) {
    n.fieldNames().forEachRemaining(k -> {
      if (!known.contains(k)) {
        throw new IllegalArgumentException("unknown key '" + prefix + k + "' (known: " + new java.util.TreeSet<>(known) + ")");
      }
    });
  }

  private static Integer maxLength(JsonNode n, String where) {
    JsonNode v = n.get("maxLength");
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
      throw new IllegalArgumentException(where + ": maxLength must be a whole number ≥ 0");
    }
    return v.intValue();
  }

  private static Double number(JsonNode n, String key, String where) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw new IllegalArgumentException(where + ": " + key + " must be a number");
    }
    return v.doubleValue();
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
