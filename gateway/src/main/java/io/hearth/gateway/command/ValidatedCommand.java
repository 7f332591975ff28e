package io.hearth.gateway.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.profile.CommandValidator;
import io.hearth.gateway.registry.DeviceRegistry.RegisteredDevice;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A command request checked against its device's profile and binding, in normal form: what
 * {@link CommandService} accepts, and its canonical JSON (stored with the command and hashed for
 * idempotency keys).
 *
 * @param expiresInMs {@code deliverWhen: nextWake}: how long it may wait for its device; null otherwise
 */
record ValidatedCommand(Map<String, Object> set, String action, Map<String, Object> input, int timeoutMs,
    boolean waitForOutcome, String requestJson, Integer expiresInMs) {

  /** {@code deliverWhen: nextWake}. */
  boolean nextWake() {
    return expiresInMs != null;
  }

  /** Checks {@code request}; a refusal is a {@link ValidationException}. */
  static ValidatedCommand of(RegisteredDevice device, CommandRequest request, GatewayConfig.Commands config) {
    boolean hasSet = !request.set().isEmpty();
    if (hasSet == (request.action() != null)) {
      throw ValidationException.of(hasSet ? "action" : "set",
          hasSet ? "cannot be combined with set" : "a command needs set or action");
    }
    int timeout = request.timeoutMs() == null ? config.defaultTimeoutMs() : request.timeoutMs();
    if (timeout < 1 || timeout > config.maxTimeoutMs()) {
      throw ValidationException.of("timeoutMs", "must be between 1 and " + config.maxTimeoutMs());
    }
    Map<String, Object> set = Map.of();
    Map<String, Object> input = Map.of();
    if (hasSet) {
      set = CommandValidator.validateSet(device.profile(), device.supports(), request.set());
    } else {
      input = CommandValidator.validateAction(device.profile(), device.supports(), request.action(), request.input());
    }
    Map<String, Object> canonical = new LinkedHashMap<>();
    if (hasSet) {
      canonical.put("set", new TreeMap<>(set));
    } else {
      canonical.put("action", request.action());
      canonical.put("input", new TreeMap<>(input));
    }
    canonical.put("timeoutMs", timeout);
    canonical.put("wait", request.waitForOutcome());
    Integer expiresInMs = WakeQueue.expiresInMs(request, config);
    if (expiresInMs != null) { // absent for a command delivered now: its stored form is as before
      canonical.put("deliverWhen", WakeQueue.NEXT_WAKE);
      canonical.put("expiresInMs", expiresInMs);
    }
    try {
      return new ValidatedCommand(set, request.action(), input, timeout, request.waitForOutcome(),
          CommandService.JSON.writeValueAsString(canonical), expiresInMs);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
