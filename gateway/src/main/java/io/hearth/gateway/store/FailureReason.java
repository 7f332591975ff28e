package io.hearth.gateway.store;

/**
 * Why a command ended without success: the one failure vocabulary of the command domain, kept in
 * idempotency records beside the {@link CommandStatus} it goes with. Each edge gives it its error
 * code (docs/api.md#command-statuses-and-failure-reasons).
 */
public enum FailureReason {
  /** The device answered with an error (status {@code failed}). */
  REJECTED,
  /** It could not be delivered: transport down, send failed, device removed (status {@code failed}). */
  UNREACHABLE,
  /** No confirmation within its timeout (status {@code timed_out}). */
  TIMED_OUT,
  /** The gateway stopped or restarted before it ended (status {@code failed}). */
  SHUTDOWN,
  /** The gateway could not record it, so it was never sent (status {@code failed}). */
  STORE,
  /**
   * A {@code deliverWhen: nextWake} command whose device was not heard from before it expired; it
   * was never sent (status {@code failed}).
   */
  EXPIRED,
  /**
   * The gateway stopped or crashed after the command may have reached the device and before the
   * device confirmed it: whether it was executed is not known (status {@code unknown}).
   */
  OUTCOME_UNKNOWN;

  /** The status a command that failed for this reason ends in. */
  public CommandStatus status() {
    return switch (this) {
      case TIMED_OUT -> CommandStatus.TIMED_OUT;
      case OUTCOME_UNKNOWN -> CommandStatus.UNKNOWN;
      default -> CommandStatus.FAILED;
    };
  }
}
