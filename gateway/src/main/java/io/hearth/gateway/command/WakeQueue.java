package io.hearth.gateway.command;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.store.CommandRecord;
import io.hearth.gateway.store.CommandStatus;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The commands that wait for their device's next message ({@code deliverWhen: nextWake}), per
 * device in the order they were accepted, and the request options that ask for it
 * (docs/api.md#commands). A waiting command is {@code pending}; it is stored with the
 * {@code deliverWhen} and {@code expiresInMs} of its request, which is how a restart finds it again.
 * Owned by {@link CommandService}, on the core context.
 */
final class WakeQueue {
  static final String NEXT_WAKE = "nextWake";
  static final String NOW = "now";
  static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final Vertx vertx;
  private final Clock clock;
  private final Consumer<InFlight> expired;
  private final Map<String, ArrayDeque<InFlight>> byDevice = new HashMap<>();
  /** Read back at start; their values go on the device's pending ones once it is tracked. */
  private final List<InFlight> resumed = new ArrayList<>();

  /** @param expired ends a command whose expiry came while it waited */
  WakeQueue(Vertx vertx, Clock clock, Consumer<InFlight> expired) {
    this.vertx = vertx;
    this.clock = clock;
    this.expired = expired;
  }

  /**
   * Checks a request's {@code deliverWhen} and {@code expiresInMs}.
   *
   * @return how long a {@code nextWake} command may wait, or null for a command delivered now
   */
  static Integer expiresInMs(CommandRequest r, GatewayConfig.Commands config) {
    if (r.deliverWhen() == null || NOW.equals(r.deliverWhen())) {
      if (r.expiresInMs() != null) {
        throw ValidationException.of("expiresInMs", "is only allowed with deliverWhen nextWake");
      }
      return null;
    }
    if (!NEXT_WAKE.equals(r.deliverWhen())) {
      throw ValidationException.of("deliverWhen", "must be now or nextWake");
    }
    int expires = r.expiresInMs() == null ? config.wakeExpiryMs() : r.expiresInMs();
    if (expires < 1 || expires > config.maxWakeExpiryMs()) {
      throw ValidationException.of("expiresInMs", "must be between 1 and " + config.maxWakeExpiryMs());
    }
    return expires;
  }

  /** How many commands wait for this device. */
  int waiting(String deviceId) {
    ArrayDeque<InFlight> q = byDevice.get(deviceId);
    return q == null ? 0 : q.size();
  }

  /** Keeps a command until its device is next heard from, or until {@code until} (then it expires). */
  void hold(InFlight f, Instant until) {
    f.waitsUntil = until.truncatedTo(ChronoUnit.MILLIS); // as the store keeps times: the same after a restart
    byDevice.computeIfAbsent(f.command.deviceId(), k -> new ArrayDeque<>()).add(f);
    long delay = Math.max(1, until.toEpochMilli() - clock.millis());
    f.timerId = vertx.setTimer(delay, t -> {
      f.timerId = -1;
      expired.accept(f);
    });
  }

  /** A command read back at start ({@link CommandRecovery}) waits again. */
  void resume(InFlight f) {
    hold(f, f.waitsUntil);
    resumed.add(f);
  }

  /** The resumed commands still waiting, once; for their pending values. */
  List<InFlight> resumed() {
    List<InFlight> out = resumed.stream().filter(InFlight::waiting).toList();
    resumed.clear();
    return out;
  }

  /** Takes every command waiting for this device, oldest first; their expiry no longer applies. */
  List<InFlight> release(String deviceId) {
    ArrayDeque<InFlight> q = byDevice.remove(deviceId);
    if (q == null) {
      return List.of();
    }
    for (InFlight f : q) {
      stopWaiting(f);
    }
    return List.copyOf(q);
  }

  /** A command that ended: no longer waits (no-op for one that did not). */
  void remove(InFlight f) {
    if (!f.waiting()) {
      return;
    }
    ArrayDeque<InFlight> q = byDevice.get(f.command.deviceId());
    if (q != null && q.remove(f) && q.isEmpty()) {
      byDevice.remove(f.command.deviceId());
    }
    stopWaiting(f);
  }

  /** At shutdown: the expiry timers stop; the commands stay stored as pending and wait again after a start. */
  void close() {
    byDevice.values().forEach(q -> q.forEach(f -> {
      vertx.cancelTimer(f.timerId);
      f.timerId = -1;
    }));
  }

  private void stopWaiting(InFlight f) {
    if (f.timerId >= 0) {
      vertx.cancelTimer(f.timerId);
      f.timerId = -1;
    }
    f.waitsUntil = null;
  }

  /**
   * A stored {@code nextWake} request, as a restart reads it back.
   *
   * @param expiresAt when it stops waiting
   */
  record Stored(Map<String, Object> set, String action, Map<String, Object> input, int timeoutMs,
      Instant expiresAt) {}

  /** The stored request of a pending command that waits for its device's wake-up, or null. */
  static Stored stored(CommandRecord r) {
    if (r.status() != CommandStatus.PENDING || r.requestJson() == null) {
      return null;
    }
    try {
      Map<String, Object> m = CommandService.JSON.readValue(r.requestJson(), MAP);
      if (!NEXT_WAKE.equals(m.get("deliverWhen")) || !(m.get("expiresInMs") instanceof Number expires)
          || !(m.get("timeoutMs") instanceof Number timeout)) {
        return null;
      }
      return new Stored(map(m.get("set")), (String) m.get("action"), map(m.get("input")), timeout.intValue(),
          r.createdAt().plusMillis(expires.longValue()));
    } catch (java.io.IOException | ClassCastException e) {
      return null;
    }
  }

  /** The error text of a command that expired waiting. */
  static String expiredText(Instant createdAt, Instant until) {
    return "the device was not heard from within " + (until.toEpochMilli() - createdAt.toEpochMilli())
        + " ms (expiresInMs); the command was never sent";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
