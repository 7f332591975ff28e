package io.hearth.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.gateway.store.Durability;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code gateway.yaml}, lays it over the defaults, applies {@code HEARTH_<PATH>} environment
 * variables and checks every value. Unknown keys are refused so a typo never goes unnoticed.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML = io.hearth.gateway.config.Yaml.MAPPER;

  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /**
   * Loads the file (which must exist and be readable) over the defaults, then the environment. Every
   * error names the file (and the environment variables in play), the key and what it accepts.
   */
  public GatewayConfig load(Path file) {
    ObjectNode tree = defaults(env);
    JsonNode user;
    try {
      user = YAML.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      String why = e instanceof java.nio.file.NoSuchFileException ? "does not exist" : "cannot be read: " + oneLine(e);
      throw new ConfigException("config file " + file.toAbsolutePath() + " " + why
          + " (give an existing file to --config, or leave --config out to run on the built-in defaults)");
    }
    String source = "config file " + file;
    if (user != null && !user.isMissingNode() && !user.isNull()) {
      if (!user.isObject()) {
        throw new ConfigException(source + " must hold a YAML mapping of keys (docs/configuration.md)");
      }
      try {
        merge(tree, (ObjectNode) user, "");
      } catch (ConfigException e) {
        throw new ConfigException(source + ": " + e.getMessage(), e);
      }
    }
    return withEnvironment(tree, source);
  }

  /** No config file: the built-in defaults and the environment ({@code hearth} run from any folder). */
  public GatewayConfig loadDefaults() {
    return withEnvironment(defaults(env), "built-in defaults");
  }

  private GatewayConfig withEnvironment(ObjectNode tree, String source) {
    List<String> used = applyEnvironment(tree);
    try {
      return bind(tree);
    } catch (ConfigException e) {
      throw new ConfigException(source + (used.isEmpty() ? "" : " with " + String.join(", ", used)) + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * The defaults, with {@code data.dir} under {@code $STATE_DIRECTORY} when systemd sets it
   * ({@code StateDirectory=}; the first of a colon-separated list), else {@code ./data}.
   */
  static ObjectNode defaults(Map<String, String> env) {
    ObjectNode root = defaults();
    String state = env.getOrDefault("STATE_DIRECTORY", "").split(":")[0].trim();
    if (!state.isEmpty()) {
      ((ObjectNode) root.get("data")).put("dir", state);
    }
    return root;
  }

  /** The built-in defaults, as a tree of every known key. */
  static ObjectNode defaults() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode http = root.putObject("http");
    http.put("host", "127.0.0.1").put("port", 8080).put("maxBodyBytes", 65536).put("allowedOrigins", "");
    http.putObject("tls").put("enabled", false).put("keyStore", "").put("password", "");
    ObjectNode mqtt = root.putObject("mqtt");
    mqtt.putObject("embedded").put("enabled", true).put("host", "127.0.0.1").put("port", 1883)
        .put("allowAnonymous", false).put("persistence", "memory");
    mqtt.put("url", "tcp://127.0.0.1:1883").put("username", "").put("password", "")
        .put("keepAliveSeconds", 30).put("connectTimeoutSeconds", 10).put("sessionExpirySeconds", 600);
    root.putObject("coap").put("host", "127.0.0.1").put("port", 5683);
    root.putObject("data").put("dir", "./data")
        .put("durability", Durability.DEFAULTS.level().wireName())
        .put("syncIntervalMs", (int) Durability.DEFAULT_SYNC_INTERVAL.toMillis())
        .put("maxBatch", Durability.DEFAULT_MAX_BATCH)
        .put("healthProbeIntervalMs", GatewayConfig.Recovery.DEFAULTS.healthProbeIntervalMs());
    root.putObject("auth").put("pairingCode", "");
    root.put("profiles", ""); // none: the built-in profiles only
    root.put("devices", ""); // none: devices come from the API and discovery
    root.putObject("commands").put("defaultTimeoutMs", 5000).put("maxTimeoutMs", 60000)
        .put("availabilityGraceMs", 10000).put("wakeExpiryMs", GatewayConfig.Commands.DEFAULT_WAKE_EXPIRY_MS)
        .put("maxWakeExpiryMs", GatewayConfig.Commands.DEFAULT_MAX_WAKE_EXPIRY_MS)
        .put("maxWaitingPerDevice", GatewayConfig.Commands.DEFAULT_MAX_WAITING_PER_DEVICE)
        .put("unknownSettleWindowMs", GatewayConfig.Recovery.DEFAULTS.unknownSettleWindowMs());
    GatewayConfig.CommandFlow flow = GatewayConfig.CommandFlow.DEFAULTS;
    ((ObjectNode) root.get("commands")).put("maxInFlightPerDevice", flow.maxInFlightPerDevice())
        .put("sessionRatePerSecond", flow.sessionRatePerSecond()).put("sessionBurst", flow.sessionBurst());
    root.putObject("discovery").put("maxPending", 500);
    GatewayConfig.Availability a = GatewayConfig.Availability.DEFAULTS;
    root.putObject("availability").put("mainsTimeoutMin", a.mainsTimeoutMin())
        .put("batteryTimeoutMin", a.batteryTimeoutMin()).put("checkIntervalMs", a.checkIntervalMs());
    GatewayConfig.HomeAssistant ha = GatewayConfig.HomeAssistant.OFF;
    root.putObject("homeAssistant").put("enabled", ha.enabled()).put("discoveryPrefix", ha.discoveryPrefix())
        .put("baseTopic", ha.baseTopic()).put("username", ha.username()).put("password", "");
    root.putObject("backup").put("enabled", true).put("dir", "").put("time", "03:30").put("keep", 7);
    LimitKeys.addDefaults(root);
    RelayKeys.addDefaults(root); // relay.* (issue 16)
    AutomationKeys.addDefaults(root);
    HistoryKeys.addDefaults(root);
    return root;
  }

  private static void merge(ObjectNode base, ObjectNode user, String prefix) {
    Iterator<Map.Entry<String, JsonNode>> it = user.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix + e.getKey();
      JsonNode known = base.get(e.getKey());
      if (known == null) {
        List<String> here = new ArrayList<>();
        base.fieldNames().forEachRemaining(here::add);
        throw new ConfigException("unknown config key '" + key + "' (known " + (prefix.isEmpty() ? "top-level" : "in "
            + prefix.substring(0, prefix.length() - 1)) + ": " + String.join(", ", here) + ")");
      }
      JsonNode value = e.getValue();
      if (known.isObject()) {
        if (value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
          continue; // "auth:" with nothing after it
        }
        if (!value.isObject()) {
          throw new ConfigException("config key '" + key + "' must be a mapping");
        }
        merge((ObjectNode) known, (ObjectNode) value, key + ".");
      } else {
        base.set(e.getKey(), coerce(key, known, value.isNull() ? JsonNodeFactory.instance.textNode("") : value));
      }
    }
  }

  /** Applies the {@code HEARTH_*} variables that name a key; returns the names of those it used. */
  private List<String> applyEnvironment(ObjectNode tree) {
    List<String> leaves = new ArrayList<>();
    collectLeaves(tree, "", leaves);
    List<String> used = new ArrayList<>();
    for (String path : leaves) {
      String name = envName(path, false);
      String value = env.get(name);
      if (value == null) {
        name = envName(path, true);
        value = env.get(name);
      }
      if (value != null) {
        used.add(name);
        try {
          setPath(tree, path, value);
        } catch (ConfigException e) {
          throw new ConfigException("environment variable " + name + ": " + e.getMessage(), e);
        }
      }
    }
    return used;
  }

  /** {@code mqtt.embedded.allowAnonymous} → {@code HEARTH_MQTT_EMBEDDED_ALLOW_ANONYMOUS} (or without the inner underscore). */
  static String envName(String path, boolean joined) {
    StringBuilder sb = new StringBuilder("HEARTH_");
    for (char c : path.toCharArray()) {
      if (c == '.') {
        sb.append('_');
      } else if (Character.isUpperCase(c) && !joined) {
        sb.append('_').append(c);
      } else {
        sb.append(Character.toUpperCase(c));
      }
    }
    return sb.toString().toUpperCase(Locale.ROOT);
  }

  private static void collectLeaves(JsonNode node, String prefix, List<String> out) {
    node.fields().forEachRemaining(e -> {
      if (e.getValue().isObject()) {
        collectLeaves(e.getValue(), prefix + e.getKey() + ".", out);
      } else {
        out.add(prefix + e.getKey());
      }
    });
  }

  private static void setPath(ObjectNode tree, String path, String raw) {
    String[] parts = path.split("\\.");
    ObjectNode node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      node = (ObjectNode) node.get(parts[i]);
    }
    String leaf = parts[parts.length - 1];
    node.set(leaf, coerce(path, node.get(leaf), JsonNodeFactory.instance.textNode(raw)));
  }

  /** Converts a user value to the type of the default at that key. */
  private static JsonNode coerce(String key, JsonNode known, JsonNode value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (known.isBoolean()) {
      if (value.isBoolean()) {
        return value;
      }
      String s = value.asText().trim().toLowerCase(Locale.ROOT);
      if (s.equals("true") || s.equals("false")) {
        return f.booleanNode(Boolean.parseBoolean(s));
      }
      throw new ConfigException("config key '" + key + "' must be true or false, not '" + value.asText() + "'");
    }
    if (known.isInt()) {
      if (value.isIntegralNumber() && value.canConvertToInt()) {
        return f.numberNode(value.intValue());
      }
      try {
        return f.numberNode(Integer.parseInt(value.asText().trim()));
      } catch (NumberFormatException e) {
        throw new ConfigException("config key '" + key + "' must be an integer, not '" + value.asText() + "'");
      }
    }
    if (known.isDouble()) {
      if (value.isNumber()) {
        return f.numberNode(value.doubleValue());
      }
      try {
        return f.numberNode(Double.parseDouble(value.asText().trim()));
      } catch (NumberFormatException e) {
        throw new ConfigException("config key '" + key + "' must be a number, not '" + value.asText() + "'");
      }
    }
    if (value.isArray() && key.equals("http.allowedOrigins")) {
      // a YAML list of origins, kept as the comma-separated form its environment variable uses
      List<String> items = new ArrayList<>();
      value.forEach(v -> items.add(v.asText()));
      return f.textNode(String.join(",", items));
    }
    if (value.isContainerNode()) {
      throw new ConfigException("config key '" + key + "' must be a single value");
    }
    return f.textNode(value.asText());
  }

  private static GatewayConfig bind(ObjectNode t) {
    JsonNode http = t.get("http");
    JsonNode tls = http.get("tls");
    JsonNode mqtt = t.get("mqtt");
    JsonNode emb = mqtt.get("embedded");
    JsonNode coap = t.get("coap");
    JsonNode cmd = t.get("commands");
    var cfg = new GatewayConfig(
        new GatewayConfig.Http(host(http, "http.host"), port(http, "http.port"),
            new GatewayConfig.Tls(tls.get("enabled").asBoolean(), blankToNull(tls, "keyStore"), blankToNull(tls, "password")),
            range(http, "maxBodyBytes", "http.maxBodyBytes", 1024, 16 << 20), origins(http.get("allowedOrigins").asText())),
        new GatewayConfig.Mqtt(
            new GatewayConfig.Embedded(emb.get("enabled").asBoolean(), host(emb, "mqtt.embedded.host"),
                port(emb, "mqtt.embedded.port"), emb.get("allowAnonymous").asBoolean(), persistence(emb)),
            mqttUrl(mqtt.get("url").asText()), blankToNull(mqtt, "username"), blankToNull(mqtt, "password"),
            new GatewayConfig.Link(range(mqtt, "keepAliveSeconds", "mqtt.keepAliveSeconds", 2, 3600),
                range(mqtt, "connectTimeoutSeconds", "mqtt.connectTimeoutSeconds", 1, 300),
                range(mqtt, "sessionExpirySeconds", "mqtt.sessionExpirySeconds", 0, 86400))),
        new GatewayConfig.Coap(host(coap, "coap.host"), port(coap, "coap.port")),
        path(t.get("data").get("dir").asText(), "data.dir"),
        blankToNull(t.get("auth"), "pairingCode"),
        t.get("profiles").asText().isBlank() ? null : path(t.get("profiles").asText(), "profiles"),
        t.get("devices").asText().isBlank() ? null : path(t.get("devices").asText(), "devices"),
        new GatewayConfig.Commands(
            range(cmd, "defaultTimeoutMs", "commands.defaultTimeoutMs", 1, 60000),
            range(cmd, "maxTimeoutMs", "commands.maxTimeoutMs", 1, 600000),
            range(cmd, "availabilityGraceMs", "commands.availabilityGraceMs", 0, 600000),
            range(cmd, "wakeExpiryMs", "commands.wakeExpiryMs", 1, Integer.MAX_VALUE),
            range(cmd, "maxWakeExpiryMs", "commands.maxWakeExpiryMs", 1, Integer.MAX_VALUE),
            range(cmd, "maxWaitingPerDevice", "commands.maxWaitingPerDevice", 1, 1000)),
        new GatewayConfig.Discovery(range(t.get("discovery"), "maxPending", "discovery.maxPending", 1, 100000)),
        availability(t.get("availability")), recovery(t),
        HomeAssistantKeys.bind(t.get("homeAssistant"), t.get("mqtt").get("embedded").get("enabled").asBoolean()),
        backup(t.get("backup")), durability(t.get("data")),
        LimitKeys.bind(t), commandFlow(cmd), RelayKeys.bind(t.get("relay")),
        AutomationKeys.bind(t), HistoryKeys.bind(t.get("history")));
    if (cfg.http().tls().enabled() && cfg.http().tls().keyStore() != null && cfg.http().tls().password() == null) {
      throw new ConfigException("config key 'http.tls.password' is required with http.tls.keyStore");
    }
    if (cfg.commands().defaultTimeoutMs() > cfg.commands().maxTimeoutMs()) {
      throw new ConfigException("config key 'commands.defaultTimeoutMs' exceeds commands.maxTimeoutMs");
    }
    if (cfg.commands().wakeExpiryMs() > cfg.commands().maxWakeExpiryMs()) {
      throw new ConfigException("config key 'commands.wakeExpiryMs' exceeds commands.maxWakeExpiryMs");
    }
    return cfg;
  }

  /** {@code data.durability}, {@code data.syncIntervalMs} (10 ms–60 s), {@code data.maxBatch} (1–10,000). */
  private static Durability durability(JsonNode data) {
    Durability.Level level;
    try {
      level = Durability.Level.fromWire(data.get("durability").asText().trim().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("config key 'data.durability' " + e.getMessage());
    }
    return new Durability(level, Duration.ofMillis(range(data, "syncIntervalMs", "data.syncIntervalMs", 10, 60_000)),
        range(data, "maxBatch", "data.maxBatch", 1, 10_000));
  }

  /** {@code commands.maxInFlightPerDevice}, {@code commands.sessionRatePerSecond}, {@code commands.sessionBurst}. */
  private static GatewayConfig.CommandFlow commandFlow(JsonNode cmd) {
    return new GatewayConfig.CommandFlow(
        range(cmd, "maxInFlightPerDevice", "commands.maxInFlightPerDevice", 1, 1000),
        range(cmd, "sessionRatePerSecond", "commands.sessionRatePerSecond", 1, 1_000_000),
        range(cmd, "sessionBurst", "commands.sessionBurst", 1, 1_000_000));
  }

  /** {@code availability.*}: timeouts in minutes up to 30 days, a check every 100 ms to 1 h. */
  private static GatewayConfig.Availability availability(JsonNode a) {
    return new GatewayConfig.Availability(
        range(a, "mainsTimeoutMin", "availability.mainsTimeoutMin", 1, 43_200),
        range(a, "batteryTimeoutMin", "availability.batteryTimeoutMin", 1, 43_200),
        range(a, "checkIntervalMs", "availability.checkIntervalMs", 100, 3_600_000));
  }

  /** {@code commands.unknownSettleWindowMs} up to 7 days; {@code data.healthProbeIntervalMs} 100 ms to 1 h. */
  private static GatewayConfig.Recovery recovery(JsonNode t) {
    return new GatewayConfig.Recovery(
        range(t.get("commands"), "unknownSettleWindowMs", "commands.unknownSettleWindowMs", 0, 7 * 24 * 3_600_000),
        range(t.get("data"), "healthProbeIntervalMs", "data.healthProbeIntervalMs", 100, 3_600_000));
  }

  /** {@code backup.*}: an optional folder, a local time {@code HH:MM}, 1–365 archives kept. */
  private static GatewayConfig.Backup backup(JsonNode b) {
    String time = b.get("time").asText().trim();
    java.time.LocalTime at;
    try {
      at = java.time.LocalTime.parse(time.length() == 4 ? "0" + time : time);
    } catch (java.time.format.DateTimeParseException e) {
      throw new ConfigException("config key 'backup.time' must be a time of day like 03:30, not '" + time + "'");
    }
    String dir = b.get("dir").asText();
    return new GatewayConfig.Backup(b.get("enabled").asBoolean(), dir.isBlank() ? null : path(dir, "backup.dir"), at,
        range(b, "keep", "backup.keep", 1, 365));
  }

  /** {@code http.allowedOrigins}: comma-separated {@code scheme://host[:port]}, or {@code *}. */
  private static List<String> origins(String raw) {
    List<String> out = new ArrayList<>();
    for (String o : raw.split(",")) {
      String t = o.trim();
      if (t.isEmpty()) {
        continue;
      }
      if (!t.equals("*") && !t.matches("(?i)https?://[^/\\s]+/?")) {
        throw new ConfigException("config key 'http.allowedOrigins' must list origins like https://app.example.com"
            + " (or *), not '" + t + "'");
      }
      out.add(t);
    }
    return out;
  }

  private static String host(JsonNode n, String key) {
    String h = n.get("host").asText().trim();
    if (h.isEmpty() || h.contains(" ") || h.contains("/")) {
      throw new ConfigException("config key '" + key + "' must be a host name or address, not '" + h + "'");
    }
    return h;
  }

  /** {@code mqtt.embedded.persistence}: {@code file} (true) or {@code memory} (false). */
  private static boolean persistence(JsonNode emb) {
    String v = emb.get("persistence").asText().trim();
    if (v.equals("file") || v.equals("memory")) {
      return v.equals("file");
    }
    throw new ConfigException("config key 'mqtt.embedded.persistence' must be file or memory, not '" + v + "'");
  }

  private static int port(JsonNode n, String key) {
    return range(n, "port", key, 0, 65535);
  }

  static int range(JsonNode n, String field, String key, int min, int max) {
    int v = n.get(field).intValue();
    if (v < min || v > max) {
      throw new ConfigException("config key '" + key + "' must be between " + min + " and " + max + ", not " + v);
    }
    return v;
  }

  private static String mqttUrl(String raw) {
    try {
      URI u = URI.create(raw.trim());
      if (!("tcp".equals(u.getScheme()) || "ssl".equals(u.getScheme())) || u.getHost() == null || u.getPort() < 0) {
        throw new IllegalArgumentException();
      }
      return u.toString();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("config key 'mqtt.url' must look like tcp://host:port, not '" + raw + "'");
    }
  }

  private static Path path(String raw, String key) {
    if (raw.isBlank()) {
      throw new ConfigException("config key '" + key + "' must not be empty");
    }
    try {
      return Path.of(raw.trim());
    } catch (RuntimeException e) {
      throw new ConfigException("config key '" + key + "' is not a valid path: " + raw);
    }
  }

  private static String blankToNull(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.asText().isBlank() ? null : v.asText();
  }

  static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
