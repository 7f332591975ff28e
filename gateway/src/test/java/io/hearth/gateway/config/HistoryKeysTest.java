package io.hearth.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code history.*}: defaults, environment overrides, refusals naming the key. */
class HistoryKeysTest {

  @Test
  void defaultsAndEnvironment() {
    assertEquals(HistoryConfig.DEFAULTS, new ConfigLoader(Map.of()).loadDefaults().history());
    HistoryConfig h = new ConfigLoader(Map.of("HEARTH_HISTORY_WRITE_INTERVAL_MS", "0",
        "HEARTH_HISTORY_DEADBANDS", "power_w=5, temperature=0.2", "HEARTH_HISTORY_RAW_RETENTION_DAYS", "3",
        "HEARTH_HISTORY_DOWNSAMPLE_STEP_MINUTES", "0")).loadDefaults().history();
    assertEquals(0, h.writeIntervalMs());
    assertEquals(Map.of("power_w", 5.0, "temperature", 0.2), h.deadbands());
    assertEquals(3, h.rawRetentionDays());
    assertEquals(0, h.downsampleStepMinutes());
  }

  @Test
  void badValuesNameTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(
        Map.of("HEARTH_HISTORY_DEADBANDS", "temperature=-1")).loadDefaults());
    assertTrue(e.getMessage().contains("history.deadbands"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> new ConfigLoader(
        Map.of("HEARTH_HISTORY_RAW_RETENTION_DAYS", "0")).loadDefaults());
    assertTrue(e.getMessage().contains("history.rawRetentionDays"), e.getMessage());
  }
}
