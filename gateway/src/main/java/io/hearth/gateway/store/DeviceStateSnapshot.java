package io.hearth.gateway.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A device's tracked state as persisted.
 *
 * @param deviceId           the device
 * @param state              last reported property values (Boolean, Long, Double, String)
 * @param pending            commanded, not yet confirmed values
 * @param updatedAt          when each property of {@code state} last changed
 * @param version            grows by one at each state change, never reused
 * @param online             true/false, or null while not known (never heard from since start)
 * @param availabilityReason why it went offline ({@code lwt}, {@code timeout}, ...), or null
 * @param lastSeen           last time anything came from the device, or null
 */
public record DeviceStateSnapshot(
    String deviceId,
    Map<String, Object> state,
    Map<String, Object> pending,
    Map<String, Instant> updatedAt,
    long version,
    Boolean online,
    String availabilityReason,
    Instant lastSeen) {

  public DeviceStateSnapshot {
    Objects.requireNonNull(deviceId, "deviceId");
    state = state == null ? Map.of() : state;
    pending = pending == null ? Map.of() : pending;
    updatedAt = updatedAt == null ? Map.of() : updatedAt;
  }
}
