package io.hearth.gateway.command;

import io.hearth.adapter.DeviceAdapter.Confirmation;
import io.hearth.adapter.DeviceCommand;
import io.hearth.gateway.store.CommandRecord;
import io.hearth.gateway.store.FailureReason;
import io.vertx.core.Promise;
import java.time.Instant;

/** A command between acceptance and its terminal status. Owned by {@link CommandService}. */
final class InFlight {
  /** Rebuilt, with its deadline, when a command that waited for its device's wake-up goes out. */
  DeviceCommand command;
  /** How the device confirms it; for a command restored after a restart, learned when it goes out. */
  Confirmation confirmation;
  final Promise<CommandRecord> done = Promise.promise();
  final int timeoutMs;
  CommandRecord record;
  /** The confirmation timer, or while it waits for its device's wake-up, the expiry timer. */
  long timerId = -1;
  /**
   * Its turn came and the send was started ({@link SendQueues}): it holds one of its device's
   * in-flight places, and from now on a state report may confirm it (state-confirmed conventions).
   */
  boolean sendStarted;
  /** The newer command that superseded it, when it was superseded. */
  String supersededBy;
  /** Why it failed, when it failed. */
  FailureReason failure;
  /** {@code deliverWhen: nextWake}: when it stops waiting for the device, while it waits; else null. */
  Instant waitsUntil;

  InFlight(DeviceCommand command, Confirmation confirmation, CommandRecord record, int timeoutMs) {
    this.command = command;
    this.confirmation = confirmation;
    this.record = record;
    this.timeoutMs = timeoutMs;
  }

  /** Whether it waits for its device's next message. */
  boolean waiting() {
    return waitsUntil != null;
  }
}
