package io.hearth.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code automations.*} and {@code location.*}: defaults, file and environment, and the checks. */
class AutomationKeysTest {
  @TempDir
  Path dir;

  private GatewayConfig load(String yaml, Map<String, String> env) throws IOException {
    Path f = dir.resolve("gateway.yaml");
    Files.writeString(f, yaml);
    return new ConfigLoader(env).load(f);
  }

  private String refused(String yaml) {
    return assertThrows(ConfigException.class, () -> load(yaml, Map.of()), () -> "accepted: " + yaml).getMessage();
  }

  @Test
  void defaultsHaveNoFileAndNoLocation() throws IOException {
    AutomationConfig a = load("", Map.of()).automations();
    assertNull(a.file());
    assertEquals(30, a.maxRunsPerMinute());
    assertEquals(30, a.runRetentionDays());
    assertFalse(a.hasLocation());
    assertEquals(ZoneId.systemDefault(), a.timeZone());
  }

  @Test
  void fromFileAndEnvironment() throws IOException {
    AutomationConfig a = load("""
        automations: { file: rules.yaml, maxRunsPerMinute: 5 }
        location: { latitude: 51.51, longitude: -0.13, timeZone: Europe/London }
        """, Map.of("HEARTH_AUTOMATIONS_RUN_RETENTION_DAYS", "7", "HEARTH_LOCATION_LATITUDE", "48.85")).automations();
    assertEquals(Path.of("rules.yaml"), a.file());
    assertEquals(5, a.maxRunsPerMinute());
    assertEquals(7, a.runRetentionDays());
    assertTrue(a.hasLocation());
    assertEquals(48.85, a.latitude());
    assertEquals(-0.13, a.longitude());
    assertEquals(ZoneId.of("Europe/London"), a.timeZone());
  }

  @Test
  void badValuesNameTheKey() {
    assertTrue(refused("location: { latitude: 91, longitude: 0 }").contains("location.latitude"));
    assertTrue(refused("location: { latitude: 10 }").contains("location.longitude"));
    assertTrue(refused("location: { timeZone: Mars/Olympus }").contains("location.timeZone"));
    assertTrue(refused("automations: { maxRunsPerMinute: 0 }").contains("automations.maxRunsPerMinute"));
  }
}
