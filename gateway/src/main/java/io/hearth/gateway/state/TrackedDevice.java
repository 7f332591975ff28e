package io.hearth.gateway.state;

import io.hearth.gateway.store.DeviceStateSnapshot;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The mutable, in-memory state of one device. Owned by {@link DeviceStates}, on the core context. */
final class TrackedDevice {
  final String id;
  final Map<String, Object> state = new LinkedHashMap<>();
  final Map<String, Object> pending = new LinkedHashMap<>();
  /** Which command each pending value belongs to. */
  final Map<String, String> pendingOwner = new LinkedHashMap<>();
  final Map<String, Instant> updatedAt = new LinkedHashMap<>();
  long version;
  Availability availability = Availability.UNKNOWN;
  String reason;
  Instant lastSeen;

  TrackedDevice(String id) {
    this.id = id;
  }

  static TrackedDevice restore(DeviceStateSnapshot s) {
    TrackedDevice d = new TrackedDevice(s.deviceId());
    d.state.putAll(s.state());
    d.updatedAt.putAll(s.updatedAt());
    d.version = s.version();
    d.lastSeen = s.lastSeen();
    // availability is re-learned after every start; pending commands did not survive the restart
    return d;
  }

  DeviceStateSnapshot snapshot() {
    return new DeviceStateSnapshot(id, Map.copyOf(state), Map.copyOf(pending), Map.copyOf(updatedAt), version,
        availability == Availability.UNKNOWN ? null : availability == Availability.ONLINE, reason, lastSeen);
  }
}
