package io.hearth.gateway.config;

import java.nio.file.Path;
import java.time.ZoneId;

/**
 * {@code automations.*} and {@code location.*} (docs/configuration.md, "Automations and location";
 * docs/automations.md).
 *
 * @param file             the automations file (YAML), or null for none
 * @param maxRunsPerMinute a rule starts at most this many runs a minute (bounds loops between rules)
 * @param runRetentionDays run records are kept this many days
 * @param latitude         degrees north of the hub, or null when not configured (sun triggers never fire)
 * @param longitude        degrees east (west negative), or null with the latitude
 * @param timeZone         the hub's time zone: time triggers and conditions without their own
 */
public record AutomationConfig(Path file, int maxRunsPerMinute, int runRetentionDays, Double latitude,
    Double longitude, ZoneId timeZone) {
  public static final int DEFAULT_MAX_RUNS_PER_MINUTE = 30;
  public static final int DEFAULT_RUN_RETENTION_DAYS = 30;
  public static final AutomationConfig DEFAULTS = new AutomationConfig(null, DEFAULT_MAX_RUNS_PER_MINUTE,
      DEFAULT_RUN_RETENTION_DAYS, null, null, ZoneId.systemDefault());

  /** Whether latitude and longitude are set. */
  public boolean hasLocation() {
    return latitude != null && longitude != null;
  }
}
