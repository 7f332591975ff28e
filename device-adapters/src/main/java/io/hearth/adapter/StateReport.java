package io.hearth.adapter;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Properties a device reported, decoded from its payload into profile property names and plain
 * Java values (Boolean, Long, Double, String). The core checks them against the profile.
 *
 * @param retained true when this came from a retained MQTT message (a replay, not a fresh report)
 */
public record StateReport(String deviceId, Map<String, Object> properties, Instant receivedAt, boolean retained) {
  public StateReport {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(receivedAt, "receivedAt");
    properties = properties == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
  }
}
