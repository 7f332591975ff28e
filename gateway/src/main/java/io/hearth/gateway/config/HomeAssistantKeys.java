package io.hearth.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks and binds {@code homeAssistant.*} (docs/configuration.md, docs/home-assistant.md): the two
 * topic roots must be plain MQTT topics (no wildcard, no {@code $} start, no empty level) that do
 * not overlap, and with the embedded broker Home Assistant needs a user name and password.
 */
final class HomeAssistantKeys {
  private HomeAssistantKeys() {
  }

  static GatewayConfig.HomeAssistant bind(JsonNode n, boolean embeddedBroker) {
    boolean enabled = n.get("enabled").asBoolean();
    String prefix = topicRoot(n, "discoveryPrefix");
    String base = topicRoot(n, "baseTopic");
    if (prefix.equals(base) || base.startsWith(prefix + "/") || prefix.startsWith(base + "/")) {
      throw new ConfigException("config keys 'homeAssistant.baseTopic' and 'homeAssistant.discoveryPrefix' must not"
          + " overlap ('" + base + "', '" + prefix + "')");
    }
    if (base.equals("hearth") || base.startsWith("hearth/")) {
      throw new ConfigException("config key 'homeAssistant.baseTopic' must not be under hearth/ (the devices' own"
          + " topics), not '" + base + "'");
    }
    String user = n.get("username").asText().trim();
    String password = n.get("password").asText();
    if (enabled && embeddedBroker) {
      if (user.isEmpty() || user.contains(":")) {
        throw new ConfigException("config key 'homeAssistant.username' must name the user Home Assistant connects"
            + " to the embedded broker with, not '" + user + "'");
      }
      if (password.length() < 8) {
        throw new ConfigException("config key 'homeAssistant.password' must be set (at least 8 characters) with the"
            + " embedded broker: Home Assistant logs in with it (or set HEARTH_HOME_ASSISTANT_PASSWORD)");
      }
    }
    return new GatewayConfig.HomeAssistant(enabled, prefix, base, user, password.isEmpty() ? null : password);
  }

  private static String topicRoot(JsonNode n, String field) {
    String v = n.get(field).asText().trim();
    if (v.isEmpty() || v.startsWith("$") || v.startsWith("/") || v.endsWith("/") || v.contains("//")
        || v.contains("+") || v.contains("#") || v.contains("\u0000")) {
      throw new ConfigException("config key 'homeAssistant." + field + "' must be a plain MQTT topic such as"
          + " 'homeassistant' (no wildcard, no leading $ or /), not '" + v + "'");
    }
    return v;
  }
}
