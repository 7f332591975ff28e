package io.hearth.adapter;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** An event a device emitted ({@code jammed}), with its data decoded from JSON. */
public record DeviceEvent(String deviceId, String name, Map<String, Object> data, Instant receivedAt) {
  public DeviceEvent {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(receivedAt, "receivedAt");
    data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
  }
}
