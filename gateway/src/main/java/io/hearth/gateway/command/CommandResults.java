package io.hearth.gateway.command;

import io.hearth.gateway.state.DeviceStates;
import io.hearth.gateway.store.CommandRecord;
import io.hearth.gateway.store.FailureReason;
import java.util.Objects;

/** Turns a stored command into the {@link CommandResult} an answer gives. Used by {@link CommandService}. */
final class CommandResults {
  private final DeviceStates states;

  CommandResults(DeviceStates states) {
    this.states = Objects.requireNonNull(states, "states");
  }

  /**
   * The result of a command that ended (or, for an idempotent replay whose first answer was never
   * given, wherever it is now).
   *
   * @param reason why it failed, when it did; null for a record read back after a crash, whose
   *               failure is the restart's ({@link FailureReason#SHUTDOWN})
   * @param supersededBy the newer command's id when it was superseded, null when unknown
   */
  CommandResult of(CommandRecord r, FailureReason reason, String supersededBy) {
    switch (r.status()) {
      case SUCCEEDED: {
        var view = states.view(r.deviceId());
        return new CommandResult.Succeeded(r.commandId(), r.deviceId(), view.map(v -> v.state()).orElse(null),
            view.map(v -> v.version()).orElse(null));
      }
      case TIMED_OUT:
        return failed(r, FailureReason.TIMED_OUT);
      case SUPERSEDED:
        return new CommandResult.Superseded(r.commandId(), supersededBy);
      case FAILED:
        return failed(r, reason == null ? FailureReason.SHUTDOWN : reason);
      case UNKNOWN:
        return failed(r, FailureReason.OUTCOME_UNKNOWN);
      default:
        return new CommandResult.Accepted(r.commandId());
    }
  }

  private static CommandResult.Failed failed(CommandRecord r, FailureReason reason) {
    return new CommandResult.Failed(r.commandId(), reason, r.error() != null ? r.error() : switch (reason) {
      // only for a record without an error text: the service always writes one
      case REJECTED -> "Device rejected the command";
      case UNREACHABLE -> "Device offline";
      case TIMED_OUT -> "Command timed out";
      case SHUTDOWN -> "Service unavailable";
      case STORE -> "Internal error";
      case EXPIRED -> "Device not heard from before the command expired";
      case OUTCOME_UNKNOWN -> "The gateway stopped before the device confirmed the command; it may have been executed";
    });
  }
}
