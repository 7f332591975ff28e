package io.hearth.gateway.command;

import io.hearth.adapter.DeviceAdapter.Confirmation;
import io.hearth.adapter.DeviceCommand;
import io.hearth.gateway.store.CommandRecord;
import io.hearth.gateway.store.FailureReason;
import io.vertx.core.Promise;

/** A command between acceptance and its terminal status. Owned by {@link CommandService}. */
final class InFlight {
  final DeviceCommand command;
  final Confirmation confirmation;
  final Promise<CommandRecord> done = Promise.promise();
  CommandRecord record;
  long timerId = -1;
  /** The send was started: from now on a state report may confirm it (state-confirmed conventions). */
  boolean sendStarted;
  /** Why it failed, when it failed. */
  FailureReason failure;

  InFlight(DeviceCommand command, Confirmation confirmation, CommandRecord record) {
    this.command = command;
    this.confirmation = confirmation;
    this.record = record;
  }
}
