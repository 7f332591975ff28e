package io.hearth.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * The keys of {@link AutomationConfig}: {@code automations.*} and {@code location.*}, their
 * defaults in the config tree and their checks (docs/configuration.md, "Automations and location").
 */
final class AutomationKeys {
  private AutomationKeys() {
  }

  static void addDefaults(ObjectNode root) {
    root.putObject("automations").put("file", "")
        .put("maxRunsPerMinute", AutomationConfig.DEFAULT_MAX_RUNS_PER_MINUTE)
        .put("runRetentionDays", AutomationConfig.DEFAULT_RUN_RETENTION_DAYS);
    root.putObject("location").put("latitude", "").put("longitude", "").put("timeZone", "");
  }

  static AutomationConfig bind(JsonNode root) {
    JsonNode a = root.get("automations");
    JsonNode l = root.get("location");
    String file = a.get("file").asText().trim();
    Double lat = degrees(l, "latitude", 90);
    Double lon = degrees(l, "longitude", 180);
    if ((lat == null) != (lon == null)) {
      throw new ConfigException("config keys 'location.latitude' and 'location.longitude' go together: set both");
    }
    String zone = l.get("timeZone").asText().trim();
    ZoneId zoneId;
    try {
      zoneId = zone.isEmpty() ? ZoneId.systemDefault() : ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new ConfigException("config key 'location.timeZone' must be a time zone such as 'Europe/Berlin', not '"
          + zone + "'");
    }
    return new AutomationConfig(file.isEmpty() ? null : Path.of(file),
        ConfigLoader.range(a, "maxRunsPerMinute", "automations.maxRunsPerMinute", 1, 100_000),
        ConfigLoader.range(a, "runRetentionDays", "automations.runRetentionDays", 1, 3650), lat, lon, zoneId);
  }

  private static Double degrees(JsonNode l, String field, double max) {
    String s = l.get(field).asText().trim();
    if (s.isEmpty()) {
      return null;
    }
    try {
      double d = Double.parseDouble(s);
      if (d >= -max && d <= max) {
        return d;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new ConfigException("config key 'location." + field + "' must be degrees from -" + (int) max + " to "
        + (int) max + ", not '" + s + "'");
  }
}
