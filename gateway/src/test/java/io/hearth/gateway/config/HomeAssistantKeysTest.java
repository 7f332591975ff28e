package io.hearth.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code homeAssistant.*}: defaults, environment overrides and the checks (docs/configuration.md). */
class HomeAssistantKeysTest {
  @TempDir
  Path dir;

  private GatewayConfig load(String yaml, Map<String, String> env) throws IOException {
    Path f = dir.resolve("gateway.yaml");
    Files.writeString(f, yaml);
    return new ConfigLoader(env).load(f);
  }

  private String refused(String yaml, Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> load(yaml, env), () -> "accepted: " + yaml + env).getMessage();
  }

  @Test
  void offByDefault() throws IOException {
    GatewayConfig.HomeAssistant ha = load("", Map.of()).homeAssistant();
    assertEquals(GatewayConfig.HomeAssistant.OFF, ha);
    assertFalse(ha.enabled());
    assertEquals("homeassistant", ha.discoveryPrefix());
    assertEquals("hearth-ha", ha.baseTopic());
  }

  @Test
  void everyKeyFromFileOrEnvironment() throws IOException {
    GatewayConfig.HomeAssistant ha = load("homeAssistant: { enabled: true, password: from-the-file }",
        Map.of("HEARTH_HOME_ASSISTANT_DISCOVERY_PREFIX", "ha-disc", "HEARTH_HOME_ASSISTANT_BASE_TOPIC", "home/hub",
            "HEARTH_HOME_ASSISTANT_USERNAME", "hass", "HEARTH_HOME_ASSISTANT_PASSWORD", "from-the-env"))
        .homeAssistant();
    assertEquals(new GatewayConfig.HomeAssistant(true, "ha-disc", "home/hub", "hass", "from-the-env"), ha);
    assertFalse(ha.toString().contains("from-the-env"), ha::toString);
  }

  @Test
  void theEmbeddedBrokerNeedsAPasswordForHomeAssistant() throws IOException {
    assertTrue(refused("homeAssistant: { enabled: true }", Map.of()).contains("homeAssistant.password"));
    assertTrue(refused("homeAssistant: { enabled: true, password: short }", Map.of()).contains("at least 8"));
    // an external broker has its own users: no password needed here
    assertTrue(load("mqtt: { embedded: { enabled: false } }\nhomeAssistant: { enabled: true }", Map.of())
        .homeAssistant().enabled());
  }

  @Test
  void topicsMustBePlainAndApart() {
    for (String bad : new String[] {"'ha/#'", "'+'", "'$SYS'", "'/ha'", "'ha/'", "''"}) {
      assertTrue(refused("homeAssistant: { discoveryPrefix: " + bad + " }", Map.of())
          .contains("homeAssistant.discoveryPrefix"), bad);
    }
    assertTrue(refused("homeAssistant: { baseTopic: homeassistant }", Map.of()).contains("overlap"));
    assertTrue(refused("homeAssistant: { baseTopic: homeassistant/hearth }", Map.of()).contains("overlap"));
    assertTrue(refused("homeAssistant: { baseTopic: hearth/ha }", Map.of()).contains("hearth/"));
  }
}
