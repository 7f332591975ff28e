package io.hearth.adapter;

import java.util.Map;
import java.util.Objects;

/**
 * A device's answer to a command.
 *
 * @param deviceId  who answered
 * @param commandId the command answered
 * @param ok        true if the device accepted and applied it
 * @param error     the device's reason when {@code ok} is false, else null
 * @param output    action output or confirmed values if the device sent any, else empty
 */
public record CommandReply(String deviceId, String commandId, boolean ok, String error, Map<String, Object> output) {
  public CommandReply {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(commandId, "commandId");
    output = output == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(output));
  }
}
