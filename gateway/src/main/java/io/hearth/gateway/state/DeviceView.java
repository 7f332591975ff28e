package io.hearth.gateway.state;

import java.time.Instant;
import java.util.Map;

/**
 * A read-only copy of a device's tracked state, as the API shows it.
 *
 * @param online false when offline or not yet confirmed since start
 */
public record DeviceView(
    String id,
    Map<String, Object> state,
    Map<String, Object> pending,
    Map<String, Instant> updatedAt,
    long version,
    Availability availability,
    String reason,
    Instant lastSeen) {

  public boolean online() {
    return availability == Availability.ONLINE;
  }
}
