package io.hearth.gateway.command;

import io.hearth.gateway.store.CommandStatus;
import io.hearth.gateway.store.FailureReason;
import java.util.Map;
import java.util.Objects;

/**
 * What became of an accepted command request, in the domain's terms: the same for REST and the
 * WebSocket, and what an idempotency key replays. Each edge renders it once (REST:
 * {@code api.CommandAnswer}; WebSocket: {@code ws.WsErrors} for failures). A request refused
 * before anything was accepted fails the future with a {@code domain} exception instead.
 */
public sealed interface CommandResult permits CommandResult.Accepted, CommandResult.Succeeded,
    CommandResult.Failed, CommandResult.Superseded {

  /** The command's id. */
  String commandId();

  /** The command's status in this answer. */
  CommandStatus status();

  /** Accepted and not waited for: it is {@code pending}; its end comes as a {@code command} event. */
  record Accepted(String commandId) implements CommandResult {
    public Accepted {
      Objects.requireNonNull(commandId, "commandId");
    }

    @Override
    public CommandStatus status() {
      return CommandStatus.PENDING;
    }
  }

  /**
   * Confirmed by the device.
   *
   * @param deviceId the device
   * @param state    the device's state when the answer was given, or null when it has none yet
   * @param version  that state's version, or null with it
   */
  record Succeeded(String commandId, String deviceId, Map<String, Object> state, Long version)
      implements CommandResult {
    public Succeeded {
      Objects.requireNonNull(commandId, "commandId");
      Objects.requireNonNull(deviceId, "deviceId");
    }

    @Override
    public CommandStatus status() {
      return CommandStatus.SUCCEEDED;
    }
  }

  /**
   * Ended without success: {@code failed}, or {@code timed_out} when the reason is
   * {@link FailureReason#TIMED_OUT}, or {@code unknown} (not known whether the device executed it)
   * when it is {@link FailureReason#OUTCOME_UNKNOWN}.
   *
   * @param reason why
   * @param detail what happened, for a human
   */
  record Failed(String commandId, FailureReason reason, String detail) implements CommandResult {
    public Failed {
      Objects.requireNonNull(commandId, "commandId");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public CommandStatus status() {
      return reason.status();
    }
  }

  /**
   * Not sent: a newer {@code set} of the same properties (or more) to the same device replaced it
   * while it waited for its turn; the newer command carries the value
   * (docs/api.md#pipelining-and-coalescing). Not a failure.
   *
   * @param supersededBy the newer command's id, or null when no longer known (read back from the store)
   */
  record Superseded(String commandId, String supersededBy) implements CommandResult {
    public Superseded {
      Objects.requireNonNull(commandId, "commandId");
    }

    @Override
    public CommandStatus status() {
      return CommandStatus.SUPERSEDED;
    }
  }
}
