package io.hearth.gateway.command;

import io.hearth.adapter.DeviceCommand;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.events.EventHub;
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
 * What a start does with the commands the last run left unfinished (docs/api.md#commands): none is
 * ever re-sent. A {@code deliverWhen: nextWake} command still waiting for its device's wake-up
 * (stored {@code pending}, never sent) waits again until its expiry; one past its expiry ends
 * {@code failed} (expired), as does one whose device is gone or whose values no longer fit the
 * device's profile: those certainly never left the gateway. Every other one may have reached its
 * device (the store does not write {@code sent}, docs/storage.md) and ends {@code unknown}; it is
 * watched, with those a graceful stop ended {@code unknown}, by {@link UnknownSettlement}. Each
 * ending is stored and published as a {@code command} event.
 */
final class CommandRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(CommandRecovery.class);

  private CommandRecovery() {}

  /** The error text of a command a restart ended {@code unknown}. */
  static final String UNKNOWN_AFTER_RESTART = "the gateway restarted before the device confirmed the command;"
      + " it may have been executed";

  /**
   * What a start found.
   *
   * @param ended   how many commands it ended
   * @param waiting the commands that wait again, oldest first
   * @param unknown the {@code unknown} commands that may still be settled: those it ended so, and
   *                those that ended so since {@code watchSince}
   */
  record Outcome(int ended, List<InFlight> waiting, List<UnknownSettlement.Watched> unknown) {}

  /**
   * Ends what cannot resume and reads back what waits again (the decisions on the caller's context).
   *
   * @param watchSince the oldest end of an earlier {@code unknown} command to watch; null: none
   */
  static Future<Outcome> recover(AsyncStore store, DeviceRegistry registry, Clock clock, EventHub events,
      Instant watchSince) {
    return store.call(s -> new Found(s.commands().unfinished(),
        watchSince == null ? List.of() : s.commands().unknownSince(watchSince))).compose(found -> {
      Instant now = clock.instant();
      List<InFlight> waiting = new ArrayList<>();
      List<CommandRecord> ended = new ArrayList<>();
      for (CommandRecord r : found.open) {
        WakeQueue.Stored w = WakeQueue.stored(r);
        if (w == null) { // it may have gone out: the store does not write "sent"
          ended.add(r.withStatus(CommandStatus.UNKNOWN, UNKNOWN_AFTER_RESTART, now));
          continue;
        }
        String error; // a waiting command that cannot wait again: it was never sent
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
        ended.add(r.withStatus(CommandStatus.FAILED, error, now));
      }
      List<UnknownSettlement.Watched> unknown = new ArrayList<>();
      found.earlierUnknown.forEach(r -> watched(r, registry, unknown));
      ended.stream().filter(r -> r.status() == CommandStatus.UNKNOWN).forEach(r -> watched(r, registry, unknown));
      if (!ended.isEmpty()) {
        LOG.info("unfinished commands ended after restart [count: {}, unknown: {}]", ended.size(),
            ended.stream().filter(r -> r.status() == CommandStatus.UNKNOWN).count());
      }
      if (!waiting.isEmpty()) {
        LOG.info("commands waiting for their device's wake-up resumed after restart [count: {}]", waiting.size());
      }
      ended.forEach(r -> CommandEvents.publish(events, r));
      return store.run(s -> ended.forEach(s.commands()::save))
          .map(v -> new Outcome(ended.size(), waiting, unknown));
    });
  }

  private record Found(List<CommandRecord> open, List<CommandRecord> earlierUnknown) {}

  /** An {@code unknown} command of a registered device, with its set values validated as at acceptance. */
  private static void watched(CommandRecord r, DeviceRegistry registry, List<UnknownSettlement.Watched> out) {
    RegisteredDevice device = registry.get(r.deviceId()).orElse(null);
    if (device == null) {
      return;
    }
    Map<String, Object> set = Map.of();
    try {
      Map<String, Object> request = CommandService.JSON.readValue(r.requestJson(), WakeQueue.MAP);
      if (request.get("set") instanceof Map<?, ?> raw && !raw.isEmpty()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> values = (Map<String, Object>) raw;
        set = CommandValidator.validateSet(device.profile(), device.supports(), values);
      }
    } catch (java.io.IOException | RuntimeException e) { // unreadable, or no longer fits: only a reply settles it
      LOG.debug("unknown command's values not comparable [cid: {}]: {}", r.commandId(), e.getMessage());
    }
    out.add(new UnknownSettlement.Watched(r, set));
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
