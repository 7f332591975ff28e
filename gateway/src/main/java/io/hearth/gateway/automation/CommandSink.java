package io.hearth.gateway.automation;

import io.hearth.gateway.command.CommandRequest;
import io.hearth.gateway.command.CommandResult;
import io.vertx.core.Future;

/**
 * Where the {@code command} action sends its commands: the gateway's command service, the same
 * path as an app's command (validation, queue per device, explicit outcome). A refusal fails the
 * future with a {@code domain} exception.
 */
@FunctionalInterface
public interface CommandSink {
  Future<CommandResult> submit(String deviceId, CommandRequest request);
}
