package io.hearth.relay.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code relay.yaml} over the defaults, then {@code HEARTH_RELAY_<PATH>} environment variables
 * (the same rules as the gateway's, docs/configuration.md), and checks every value; an unknown key or
 * a bad value fails with one line naming it.
 */
public final class RelayConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final Map<String, String> env;

  public RelayConfigLoader(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** The file (null: none) over the defaults, then the environment. */
  public RelayConfig load(Path file) {
    ObjectNode tree = defaults();
    String source = file == null ? "built-in defaults" : "config file " + file;
    if (file != null) {
      JsonNode user;
      try {
        user = YAML.readTree(Files.readAllBytes(file));
      } catch (IOException e) {
        throw new RelayConfigException("config file " + file.toAbsolutePath() + " cannot be read: " + e.getMessage());
      }
      if (user != null && user.isObject()) {
        try {
          merge(tree, (ObjectNode) user, "");
        } catch (RelayConfigException e) {
          throw new RelayConfigException(source + ": " + e.getMessage());
        }
      } else if (user != null && !user.isNull() && !user.isMissingNode()) {
        throw new RelayConfigException(source + " must hold a YAML mapping of keys (docs/relay.md)");
      }
    }
    List<String> used = new ArrayList<>();
    List<String> leaves = new ArrayList<>();
    leaves(tree, "", leaves);
    for (String path : leaves) {
      for (boolean joined : new boolean[] {false, true}) {
        String name = envName(path, joined);
        String value = env.get(name);
        if (value != null) {
          used.add(name);
          try {
            set(tree, path, value);
          } catch (RelayConfigException e) {
            throw new RelayConfigException("environment variable " + name + ": " + e.getMessage());
          }
          break;
        }
      }
    }
    try {
      return bind(tree);
    } catch (RelayConfigException e) {
      throw new RelayConfigException(source + (used.isEmpty() ? "" : " with " + String.join(", ", used)) + ": "
          + e.getMessage());
    }
  }

  static ObjectNode defaults() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.putObject("http").put("host", "0.0.0.0").put("port", 8443).put("maxBodyBytes", 65536);
    root.putObject("tls").put("enabled", true).put("keyStore", "").put("password", "").put("devSelfSigned", false);
    root.putObject("data").put("dir", "./relay-data");
    root.putObject("wechat").put("appId", "").put("secret", "").put("apiBase", "https://api.weixin.qq.com")
        .put("alertTemplateId", "").put("alertPage", "pages/index/index").put("tokenRefreshMarginSeconds", 300);
    root.putObject("sessions").put("ttlSeconds", 7 * 24 * 3600);
    root.putObject("tunnel").put("maxRequestsPerHub", 64).put("maxStreamsPerHub", 256)
        .put("requestTimeoutMs", 70_000).put("maxFrameBytes", 4 * 1024 * 1024)
        .put("streamQueueBytes", 1024 * 1024).put("idleTimeoutMs", 60_000);
    root.putObject("rateLimits").put("userPerSecond", 20).put("userBurst", 40).put("hubPerSecond", 100)
        .put("hubBurst", 200).put("loginPerMinutePerAddress", 20).put("loginBurstPerAddress", 10);
    return root;
  }

  private static RelayConfig bind(ObjectNode t) {
    JsonNode http = t.get("http");
    JsonNode tls = t.get("tls");
    JsonNode wx = t.get("wechat");
    JsonNode tun = t.get("tunnel");
    JsonNode rl = t.get("rateLimits");
    RelayConfig.Tls tlsCfg = new RelayConfig.Tls(tls.get("enabled").asBoolean(), blank(tls, "keyStore"),
        blank(tls, "password"), tls.get("devSelfSigned").asBoolean());
    if (tlsCfg.enabled() && tlsCfg.keyStore() == null && !tlsCfg.devSelfSigned()) {
      throw new RelayConfigException("config key 'tls.keyStore' is required: TLS is on by default and apps reach"
          + " the relay only over HTTPS/WSS (set tls.devSelfSigned: true for a development certificate,"
          + " docs/relay.md)");
    }
    String apiBase = wx.get("apiBase").asText().trim();
    try {
      URI u = URI.create(apiBase);
      if (u.getHost() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
        throw new IllegalArgumentException();
      }
    } catch (RuntimeException e) {
      throw new RelayConfigException("config key 'wechat.apiBase' must be an http(s) URL, not '" + apiBase + "'");
    }
    return new RelayConfig(
        new RelayConfig.Http(http.get("host").asText(), range(http, "port", "http.port", 0, 65535),
            range(http, "maxBodyBytes", "http.maxBodyBytes", 1024, 16 * 1024 * 1024)),
        tlsCfg, Path.of(t.get("data").get("dir").asText()),
        new RelayConfig.WeChat(wx.get("appId").asText(), wx.get("secret").asText(), stripSlash(apiBase),
            wx.get("alertTemplateId").asText(), wx.get("alertPage").asText(),
            range(wx, "tokenRefreshMarginSeconds", "wechat.tokenRefreshMarginSeconds", 0, 3600)),
        range(t.get("sessions"), "ttlSeconds", "sessions.ttlSeconds", 60, 365 * 24 * 3600),
        new RelayConfig.Tunnel(range(tun, "maxRequestsPerHub", "tunnel.maxRequestsPerHub", 1, 100_000),
            range(tun, "maxStreamsPerHub", "tunnel.maxStreamsPerHub", 1, 100_000),
            range(tun, "requestTimeoutMs", "tunnel.requestTimeoutMs", 100, 600_000),
            range(tun, "maxFrameBytes", "tunnel.maxFrameBytes", 65_536, 64 * 1024 * 1024),
            range(tun, "streamQueueBytes", "tunnel.streamQueueBytes", 4096, 64 * 1024 * 1024),
            range(tun, "idleTimeoutMs", "tunnel.idleTimeoutMs", 1000, 3_600_000)),
        new RelayConfig.RateLimits(range(rl, "userPerSecond", "rateLimits.userPerSecond", 1, 1_000_000),
            range(rl, "userBurst", "rateLimits.userBurst", 1, 1_000_000),
            range(rl, "hubPerSecond", "rateLimits.hubPerSecond", 1, 1_000_000),
            range(rl, "hubBurst", "rateLimits.hubBurst", 1, 1_000_000),
            range(rl, "loginPerMinutePerAddress", "rateLimits.loginPerMinutePerAddress", 1, 1_000_000),
            range(rl, "loginBurstPerAddress", "rateLimits.loginBurstPerAddress", 1, 1_000_000)));
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static String blank(JsonNode n, String f) {
    String v = n.get(f).asText();
    return v.isBlank() ? null : v;
  }

  private static int range(JsonNode n, String f, String key, int min, int max) {
    int v = n.get(f).asInt();
    if (v < min || v > max) {
      throw new RelayConfigException("config key '" + key + "' must be between " + min + " and " + max + ", not " + v);
    }
    return v;
  }

  private static void merge(ObjectNode base, ObjectNode user, String prefix) {
    Iterator<Map.Entry<String, JsonNode>> it = user.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix + e.getKey();
      JsonNode known = base.get(e.getKey());
      if (known == null) {
        throw new RelayConfigException("unknown config key '" + key + "' (docs/relay.md lists them)");
      }
      if (known.isObject()) {
        if (!e.getValue().isObject()) {
          throw new RelayConfigException("config key '" + key + "' must be a mapping");
        }
        merge((ObjectNode) known, (ObjectNode) e.getValue(), key + ".");
      } else {
        base.set(e.getKey(), coerce(key, known, e.getValue().isNull() ? "" : e.getValue().asText()));
      }
    }
  }

  private static void leaves(JsonNode node, String prefix, List<String> out) {
    node.fields().forEachRemaining(e -> {
      if (e.getValue().isObject()) {
        leaves(e.getValue(), prefix + e.getKey() + ".", out);
      } else {
        out.add(prefix + e.getKey());
      }
    });
  }

  private static void set(ObjectNode tree, String path, String raw) {
    String[] parts = path.split("\\.");
    ObjectNode node = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      node = (ObjectNode) node.get(parts[i]);
    }
    String leaf = parts[parts.length - 1];
    node.set(leaf, coerce(path, node.get(leaf), raw));
  }

  private static JsonNode coerce(String key, JsonNode known, String raw) {
    String v = raw.trim();
    if (known.isBoolean()) {
      if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
        throw new RelayConfigException("config key '" + key + "' must be true or false, not '" + raw + "'");
      }
      return JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(v.toLowerCase(Locale.ROOT)));
    }
    if (known.isInt()) {
      try {
        return JsonNodeFactory.instance.numberNode(Integer.parseInt(v));
      } catch (NumberFormatException e) {
        throw new RelayConfigException("config key '" + key + "' must be an integer, not '" + raw + "'");
      }
    }
    return JsonNodeFactory.instance.textNode(raw);
  }

  /** {@code tunnel.maxRequestsPerHub} → {@code HEARTH_RELAY_TUNNEL_MAX_REQUESTS_PER_HUB} (or joined). */
  static String envName(String path, boolean joined) {
    StringBuilder sb = new StringBuilder("HEARTH_RELAY_");
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
}
