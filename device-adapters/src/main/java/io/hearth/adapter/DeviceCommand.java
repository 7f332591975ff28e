package io.hearth.adapter;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A validated command on its way to a device: either {@code set} (properties to change) or
 * {@code action} with {@code input}.
 *
 * @param commandId the gateway's id, sent to the device as {@code cid} where the convention allows
 * @param deviceId  target device
 * @param set       properties to change (normalised values), empty for an action
 * @param action    action name, or null for a set
 * @param input     action input (normalised values), empty for a set
 * @param expiresAt after this instant the command must not reach the device any more (MQTT 5
 *                  message expiry, CoAP no retransmission past it)
 */
public record DeviceCommand(
    String commandId,
    String deviceId,
    Map<String, Object> set,
    String action,
    Map<String, Object> input,
    Instant expiresAt) {

  public DeviceCommand {
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(expiresAt, "expiresAt");
    set = set == null ? Map.of() : Map.copyOf(set);
    input = input == null ? Map.of() : Map.copyOf(input);
    if (action == null && set.isEmpty()) {
      throw new IllegalArgumentException("a command needs set or action");
    }
  }

  public boolean isAction() {
    return action != null;
  }
}
