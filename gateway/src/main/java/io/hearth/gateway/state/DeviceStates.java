package io.hearth.gateway.state;

import io.hearth.adapter.StateReport;
import io.hearth.device.Profile;
import io.hearth.device.PropertySpec;
import io.hearth.gateway.events.EventHub;
import io.hearth.gateway.events.GatewayEvent;
import io.hearth.gateway.store.DeviceStateSnapshot;
import io.hearth.gateway.store.HistoryPoint;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks every device's reported state, pending values, version and availability. Reports are
 * checked against the profile: a value that does not fit is dropped (the rest of the report still
 * applies) and counted, so a garbage payload never changes state. Every change is published on the
 * {@link EventHub} and handed to the persistence sinks. Used on the core context only.
 */
public final class DeviceStates {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceStates.class);

  private final Clock clock;
  private final EventHub events;
  private final Consumer<DeviceStateSnapshot> persist;
  private final Consumer<HistoryPoint> history;
  private final Map<String, TrackedDevice> devices = new HashMap<>();
  private long rejectedValues;

  public DeviceStates(Clock clock, EventHub events, Consumer<DeviceStateSnapshot> persist,
      Consumer<HistoryPoint> history) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.events = Objects.requireNonNull(events, "events");
    this.persist = Objects.requireNonNull(persist, "persist");
    this.history = Objects.requireNonNull(history, "history");
  }

  /** Starts tracking a device, with its persisted state if any. */
  public void track(String deviceId, DeviceStateSnapshot restored) {
    devices.put(deviceId, restored == null ? new TrackedDevice(deviceId) : TrackedDevice.restore(restored));
  }

  public void untrack(String deviceId) {
    devices.remove(deviceId);
  }

  public Optional<DeviceView> view(String deviceId) {
    TrackedDevice d = devices.get(deviceId);
    return d == null ? Optional.empty() : Optional.of(toView(d));
  }

  public Availability availability(String deviceId) {
    TrackedDevice d = devices.get(deviceId);
    return d == null ? Availability.UNKNOWN : d.availability;
  }

  /** Values rejected against their profile since start (garbage from devices). */
  public long rejectedValues() {
    return rejectedValues;
  }

  /**
   * Applies a device's report.
   *
   * @return the properties that changed (empty if none), normalised
   */
  public Map<String, Object> applyReport(StateReport report, Profile profile) {
    TrackedDevice d = devices.get(report.deviceId());
    if (d == null) {
      return Map.of();
    }
    Map<String, Object> accepted = new LinkedHashMap<>();
    report.properties().forEach((name, value) -> {
      PropertySpec spec = profile.property(name);
      if (spec == null) {
        LOG.debug("unknown property ignored [device: {}, property: {}]", d.id, name);
        return;
      }
      Optional<Object> v = spec.tryNormalize(value);
      if (v.isEmpty()) {
        rejectedValues++;
        LOG.warn("reported value dropped [device: {}, property: {}, reason: does not fit profile {}]", d.id, name,
            profile.id());
        return;
      }
      accepted.put(name, v.get());
    });
    Instant now = report.receivedAt();
    boolean wasOnline = d.availability == Availability.ONLINE;
    d.lastSeen = now;
    if (!wasOnline && (!report.retained() || d.availability == Availability.UNKNOWN)) {
      setAvailability(d, true, null);
    }
    Map<String, Object> changes = merge(d, accepted, now);
    if (!changes.isEmpty()) {
      LOG.debug("state changed [device: {}, version: {}, changes: {}]", d.id, d.version, changes.keySet());
    } else if (wasOnline) {
      persist.accept(d.snapshot()); // lastSeen moved
    }
    return changes;
  }

  /** Merges values a device confirmed by replying ok to a command (same rules as a report). */
  public Map<String, Object> applyConfirmed(String deviceId, Map<String, Object> values) {
    TrackedDevice d = devices.get(deviceId);
    if (d == null || values.isEmpty()) {
      return Map.of();
    }
    d.lastSeen = clock.instant();
    if (d.availability != Availability.ONLINE) {
      setAvailability(d, true, null);
    }
    return merge(d, values, d.lastSeen);
  }

  private Map<String, Object> merge(TrackedDevice d, Map<String, Object> values, Instant now) {
    Map<String, Object> changes = new LinkedHashMap<>();
    values.forEach((name, v) -> {
      if (!Objects.equals(d.state.get(name), v)) {
        d.state.put(name, v);
        d.updatedAt.put(name, now);
        changes.put(name, v);
        if (v instanceof Number) {
          history.accept(new HistoryPoint(d.id, name, now, ((Number) v).doubleValue()));
        } else if (v instanceof Boolean) {
          history.accept(new HistoryPoint(d.id, name, now, ((Boolean) v) ? 1 : 0));
        } else if (v instanceof String label) { // kept for enum properties only (docs/history.md)
          history.accept(HistoryPoint.label(d.id, name, now, label));
        }
      }
    });
    if (!changes.isEmpty()) {
      d.version++;
      persist.accept(d.snapshot());
      events.publish(GatewayEvent.STATE, d.id, Map.of("changes", changes, "version", d.version));
    }
    return changes;
  }

  /**
   * Records an availability verdict.
   *
   * @param reason {@code lwt}, {@code timeout}, {@code observe_lost}, {@code restart}, {@code bridge_offline}; null when online
   */
  public void availabilityChanged(String deviceId, boolean online, String reason) {
    TrackedDevice d = devices.get(deviceId);
    if (d == null) {
      return;
    }
    if (online) {
      d.lastSeen = clock.instant();
    }
    setAvailability(d, online, online ? null : reason);
  }

  /** A message without state from the device (an event, a command reply): its {@code lastSeen} moves. */
  public void heard(String deviceId) {
    TrackedDevice d = devices.get(deviceId);
    if (d != null) {
      d.lastSeen = clock.instant();
      persist.accept(d.snapshot());
    }
  }

  /**
   * At start: a device still {@link Availability#UNKNOWN} is online again without a new message
   * (its last-seen time stays), for devices judged by their silence ({@link AvailabilityTimeouts}).
   */
  public void resumeOnline(String deviceId) {
    TrackedDevice d = devices.get(deviceId);
    if (d != null && d.availability == Availability.UNKNOWN) {
      setAvailability(d, true, null);
    }
  }

  /** Marks every device still {@link Availability#UNKNOWN} offline with reason {@code restart}. */
  public int expireUnknown(java.util.Collection<String> deviceIds) {
    int n = 0;
    for (String id : deviceIds) {
      TrackedDevice d = devices.get(id);
      if (d != null && d.availability == Availability.UNKNOWN) {
        setAvailability(d, false, "restart");
        n++;
      }
    }
    return n;
  }

  private void setAvailability(TrackedDevice d, boolean online, String reason) {
    Availability next = online ? Availability.ONLINE : Availability.OFFLINE;
    if (d.availability == next && Objects.equals(d.reason, reason)) {
      return;
    }
    d.availability = next;
    d.reason = reason;
    persist.accept(d.snapshot());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("online", online);
    if (reason != null) {
      data.put("reason", reason);
    }
    LOG.info("device {} [device: {}{}]", online ? "online" : "offline", d.id, reason == null ? "" : ", reason: " + reason);
    events.publish(GatewayEvent.AVAILABILITY, d.id, data);
  }

  /** Records values commanded by {@code commandId} as pending. */
  public void setPending(String deviceId, String commandId, Map<String, Object> values) {
    TrackedDevice d = devices.get(deviceId);
    if (d == null) {
      return;
    }
    values.forEach((k, v) -> {
      d.pending.put(k, v);
      d.pendingOwner.put(k, commandId);
    });
    persist.accept(d.snapshot());
  }

  /** Clears the pending values that still belong to {@code commandId}. */
  public void clearPending(String deviceId, String commandId) {
    TrackedDevice d = devices.get(deviceId);
    if (d == null) {
      return;
    }
    boolean changed = d.pendingOwner.entrySet().removeIf(e -> {
      if (e.getValue().equals(commandId)) {
        d.pending.remove(e.getKey());
        return true;
      }
      return false;
    });
    if (changed) {
      persist.accept(d.snapshot());
    }
  }

  /** True if the device's current state shows every one of these values. */
  public boolean shows(String deviceId, Map<String, Object> values) {
    TrackedDevice d = devices.get(deviceId);
    if (d == null) {
      return false;
    }
    for (Map.Entry<String, Object> e : values.entrySet()) {
      if (!Objects.equals(d.state.get(e.getKey()), e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** Snapshots of every tracked device (for a final flush). */
  public java.util.List<DeviceStateSnapshot> snapshots() {
    return devices.values().stream().map(TrackedDevice::snapshot).toList();
  }

  private static DeviceView toView(TrackedDevice d) {
    return new DeviceView(d.id, Map.copyOf(d.state), Map.copyOf(d.pending), Map.copyOf(d.updatedAt), d.version,
        d.availability, d.reason, d.lastSeen);
  }
}
