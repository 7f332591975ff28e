package io.hearth.gateway.state;

import io.hearth.device.DeviceDefinition;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.store.DeviceStateSnapshot;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks a device offline with reason {@code timeout} when it has been silent longer than its
 * timeout, as Zigbee2MQTT's availability feature does (lib/extension/availability.ts): a device
 * counts as heard on any message from it (state report, command reply, event, availability online)
 * and is online again on the next one. One periodic check on the core context walks every watched
 * device (a few thousand entries every {@code availability.checkIntervalMs}): no timer per device.
 * A device's clock starts when it is watched, so after a restart no device is timed out before a
 * whole timeout has passed. Time comes from the {@link Clock}, so tests move it by hand. Used on the
 * core context only (docs/devices.md#availability-and-sleepy-devices).
 */
public final class AvailabilityTimeouts {
  private static final Logger LOG = LoggerFactory.getLogger(AvailabilityTimeouts.class);
  /** The offline reason this class gives. */
  public static final String REASON = "timeout";

  private final Vertx vertx;
  private final Clock clock;
  private final DeviceStates states;
  private final AvailabilityPolicy policy;
  private final long checkIntervalMs;
  private final Map<String, Watch> watched = new HashMap<>();
  private long timerId = -1;

  /** One watched device: its timeout, when it was last heard, whether it has been timed out since. */
  private static final class Watch {
    final long timeoutMs;
    Instant lastHeard;
    boolean timedOut;

    Watch(long timeoutMs, Instant lastHeard) {
      this.timeoutMs = timeoutMs;
      this.lastHeard = lastHeard;
    }
  }

  public AvailabilityTimeouts(Vertx vertx, Clock clock, DeviceStates states, GatewayConfig.Availability config) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.states = Objects.requireNonNull(states, "states");
    this.policy = new AvailabilityPolicy(config);
    this.checkIntervalMs = config.checkIntervalMs();
  }

  /**
   * Watches a registered device if the policy times it out, its clock starting now. A device that
   * was online when the gateway stopped, and whose last message is within its timeout, is online
   * again at once (Zigbee2MQTT judges a device by its persisted last-seen time at start too); the
   * others stay unknown until heard from, or offline with reason {@code timeout} after a whole timeout.
   *
   * @param restored its persisted state, or null
   * @return whether it is watched
   */
  public boolean track(DeviceDefinition device, DeviceStateSnapshot restored) {
    long timeoutMs = policy.timeoutMs(device);
    watch(device.id(), timeoutMs);
    if (timeoutMs <= 0) {
      return false;
    }
    if (restored != null && Boolean.TRUE.equals(restored.online()) && restored.lastSeen() != null
        && clock.millis() - restored.lastSeen().toEpochMilli() < timeoutMs) {
      states.resumeOnline(device.id());
    }
    return true;
  }

  /** Starts the periodic check (call on the core context). */
  public void start() {
    if (timerId < 0) {
      timerId = vertx.setPeriodic(checkIntervalMs, t -> check());
    }
  }

  public void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  /**
   * Times the device out after {@code timeoutMs} of silence, counting from now; a timeout of 0 (or
   * less) stops watching it.
   */
  public void watch(String deviceId, long timeoutMs) {
    if (timeoutMs <= 0) {
      watched.remove(deviceId);
      return;
    }
    watched.put(deviceId, new Watch(timeoutMs, clock.instant()));
  }

  public void unwatch(String deviceId) {
    watched.remove(deviceId);
  }

  public boolean watches(String deviceId) {
    return watched.containsKey(deviceId);
  }

  /** Watched devices (for tests and metrics). */
  public int size() {
    return watched.size();
  }

  /**
   * The device sent something: its clock starts again, and a device this class put offline is
   * online again.
   */
  public void heard(String deviceId) {
    Watch w = watched.get(deviceId);
    if (w == null) {
      return;
    }
    w.lastHeard = clock.instant();
    if (w.timedOut) {
      w.timedOut = false;
      DeviceView v = states.view(deviceId).orElse(null);
      if (v != null && v.availability() == Availability.OFFLINE && REASON.equals(v.reason())) {
        states.availabilityChanged(deviceId, true, null);
      }
    }
  }

  /**
   * Marks offline every watched device silent longer than its timeout (and not offline already for
   * another reason); returns how many it marked. Run by the periodic check; tests call it directly.
   */
  public int check() {
    Instant now = clock.instant();
    int marked = 0;
    for (Map.Entry<String, Watch> e : watched.entrySet()) {
      Watch w = e.getValue();
      if (w.timedOut || now.toEpochMilli() - w.lastHeard.toEpochMilli() <= w.timeoutMs) {
        continue;
      }
      w.timedOut = true;
      if (states.availability(e.getKey()) != Availability.OFFLINE) {
        LOG.debug("device silent past its timeout [device: {}, lastHeard: {}, timeoutMs: {}]", e.getKey(),
            w.lastHeard, w.timeoutMs);
        states.availabilityChanged(e.getKey(), false, REASON);
        marked++;
      }
    }
    return marked;
  }
}
