package io.hearth.gateway.scenes;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A named set of target states over several devices (docs/scenes.md): per device id, the
 * properties to set, already checked against the device's profile.
 */
public record Scene(String id, String name, Map<String, Map<String, Object>> targets, Instant createdAt,
    Instant updatedAt) {

  public Scene {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
    targets.forEach((device, set) -> copy.put(device, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(set))));
    targets = java.util.Collections.unmodifiableMap(copy);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** The API's and the store's JSON form. */
  public Map<String, Object> toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", id);
    out.put("name", name);
    out.put("targets", targets);
    out.put("createdAt", io.hearth.gateway.core.Timestamps.wire(createdAt));
    out.put("updatedAt", io.hearth.gateway.core.Timestamps.wire(updatedAt));
    return out;
  }
}
