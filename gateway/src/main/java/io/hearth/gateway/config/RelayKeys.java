package io.hearth.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Defaults, checks and binding of {@code relay.*} (docs/configuration.md, "Remote access"): the
 * outbound tunnel to a hearth-relay (docs/relay.md). Enabled needs an {@code http(s)://} URL.
 */
final class RelayKeys {
  private RelayKeys() {}

  static void addDefaults(ObjectNode root) {
    GatewayConfig.Relay d = GatewayConfig.Relay.OFF;
    root.putObject("relay").put("enabled", false).put("url", "").put("trustCertificate", "")
        .put("reconnectMinDelayMs", d.reconnectMinDelayMs()).put("reconnectMaxDelayMs", d.reconnectMaxDelayMs())
        .put("maxStreams", d.maxStreams()).put("maxResponseBytes", d.maxResponseBytes())
        .put("linkCodeTtlSeconds", d.linkCodeTtlSeconds()).put("idleTimeoutMs", d.idleTimeoutMs());
  }

  static GatewayConfig.Relay bind(JsonNode n) {
    boolean enabled = n.get("enabled").asBoolean();
    String url = n.get("url").asText().trim();
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    if (!url.isEmpty() || enabled) {
      URI u;
      try {
        u = URI.create(url);
      } catch (IllegalArgumentException e) {
        u = null;
      }
      if (u == null || u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
        throw new ConfigException("config key 'relay.url' must be the relay's https:// URL"
            + (enabled ? " when relay.enabled is true" : "") + ", not '" + url + "'");
      }
    }
    String trust = n.get("trustCertificate").asText().trim();
    if (!trust.isEmpty() && !Files.isReadable(Path.of(trust))) {
      throw new ConfigException("config key 'relay.trustCertificate' must name a readable PEM file, not '" + trust + "'");
    }
    int min = range(n, "reconnectMinDelayMs", 10, 3_600_000);
    int max = range(n, "reconnectMaxDelayMs", 10, 3_600_000);
    if (max < min) {
      throw new ConfigException("config key 'relay.reconnectMaxDelayMs' must be at least relay.reconnectMinDelayMs");
    }
    return new GatewayConfig.Relay(enabled, url.isEmpty() ? null : url, trust.isEmpty() ? null : trust, min, max,
        range(n, "maxStreams", 1, 100_000), range(n, "maxResponseBytes", 65_536, 64 * 1024 * 1024),
        range(n, "linkCodeTtlSeconds", 10, 86_400), range(n, "idleTimeoutMs", 1000, 3_600_000));
  }

  private static int range(JsonNode n, String field, int min, int max) {
    int v = n.get(field).asInt();
    if (v < min || v > max) {
      throw new ConfigException("config key 'relay." + field + "' must be between " + min + " and " + max + ", not " + v);
    }
    return v;
  }
}
