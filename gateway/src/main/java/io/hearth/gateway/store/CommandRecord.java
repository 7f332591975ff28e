package io.hearth.gateway.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A command as persisted.
 *
 * @param commandId   gateway-wide unique id
 * @param deviceId    target device
 * @param requestJson the validated request as JSON ({@code {"set":{…}}} or {@code {"action":…,"input":{…}}})
 * @param status      where it is in its life
 * @param error       reason when failed or timed out, else null
 * @param createdAt   when it was accepted
 * @param completedAt when it reached a terminal status, else null
 */
public record CommandRecord(
    String commandId,
    String deviceId,
    String requestJson,
    CommandStatus status,
    String error,
    Instant createdAt,
    Instant completedAt) {

  public CommandRecord {
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  public CommandRecord withStatus(CommandStatus newStatus, String newError, Instant newCompletedAt) {
    return new CommandRecord(commandId, deviceId, requestJson, newStatus, newError, createdAt, newCompletedAt);
  }
}
