package io.hearth.gateway.command;

import io.hearth.adapter.DeviceCommand;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.profile.CommandValidator;
import io.hearth.gateway.registry.DeviceRegistry;
import io.hearth.gateway.registry.DeviceRegistry.RegisteredDevice;
import io.hearth.gateway.store.AsyncStore;
import io.hearth.gateway.store.CommandRecord;
import io.hearth.gateway.store.CommandStatus;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a start does with the commands the last run left unfinished (docs/api.md#commands): each
 * ends {@code failed} and none is ever re-sent, except a {@code deliverWhen: nextWake} command
 * still waiting for its device's wake-up (stored {@code pending}, never sent), which waits again
 * until its expiry. One past its expiry ends {@code failed} (expired); one whose device is gone,
 * or whose values no longer fit the device's profile, ends {@code failed} too.
 */
final class CommandRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(CommandRecovery.class);

  private CommandRecovery() {}

  /**
   * What a start found.
   *
   * @param failed  how many commands it ended
   * @param waiting the commands that wait again, oldest first
   */
  record Outcome(int failed, List<InFlight> waiting) {}

  /** Ends what cannot resume and reads back what waits again (the decisions on the caller's context). */
  static Future<Outcome> recover(AsyncStore store, DeviceRegistry registry, Clock clock) {
    return store.call(s -> s.commands().unfinished()).compose(open -> {
      Instant now = clock.instant();
      List<InFlight> waiting = new ArrayList<>();
      List<CommandRecord> ended = new ArrayList<>();
      for (CommandRecord r : open) {
        WakeQueue.Stored w = WakeQueue.stored(r);
        String error = "gateway restarted before the command completed";
        if (w != null) {
          if (!w.expiresAt().isAfter(now)) {
            error = WakeQueue.expiredText(r.createdAt(), w.expiresAt());
          } else if (registry.get(r.deviceId()).isEmpty()) {
            error = "device removed";
          } else {
            try {
              waiting.add(resume(r, w, registry.require(r.deviceId())));
              continue;
            } catch (ValidationException e) {
              error = "no longer valid for the device's profile: " + e.getMessage();
            }
          }
        }
        ended.add(r.withStatus(CommandStatus.FAILED, error, now));
      }
      if (!ended.isEmpty()) {
        LOG.info("unfinished commands failed after restart [count: {}]", ended.size());
      }
      if (!waiting.isEmpty()) {
        LOG.info("commands waiting for their device's wake-up resumed after restart [count: {}]", waiting.size());
      }
      return store.run(s -> ended.forEach(s.commands()::save)).map(v -> new Outcome(ended.size(), waiting));
    });
  }

  /** The waiting command again, its values checked against the device's profile and binding as at acceptance. */
  private static InFlight resume(CommandRecord r, WakeQueue.Stored w, RegisteredDevice device) {
    Map<String, Object> set = w.action() == null
        ? CommandValidator.validateSet(device.profile(), device.supports(), w.set()) : Map.of();
    Map<String, Object> input = w.action() == null ? Map.of()
        : CommandValidator.validateAction(device.profile(), device.supports(), w.action(), w.input());
    DeviceCommand command = new DeviceCommand(r.commandId(), r.deviceId(), set, w.action(), input, w.expiresAt());
    InFlight f = new InFlight(command, null, r, w.timeoutMs());
    f.waitsUntil = w.expiresAt();
    return f;
  }
}
