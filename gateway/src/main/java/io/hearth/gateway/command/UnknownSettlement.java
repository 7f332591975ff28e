package io.hearth.gateway.command;

import io.hearth.adapter.CommandReply;
import io.hearth.adapter.StateReport;
import io.hearth.gateway.events.EventHub;
import io.hearth.gateway.state.DeviceStates;
import io.hearth.gateway.store.AsyncStore;
import io.hearth.gateway.store.CommandRecord;
import io.hearth.gateway.store.CommandStatus;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles, when the device makes it possible, the commands that ended {@code unknown} at the crash
 * or stop before this start (docs/api.md#command-statuses-and-failure-reasons), for
 * {@code commands.unknownSettleWindowMs} after the start:
 *
 * <ul>
 *   <li>a {@code set} command becomes {@code succeeded} when the device's next report that carries
 *       any of its properties shows every one of them at the commanded value. A report with other
 *       values leaves it {@code unknown} for good: the device may have executed it and been changed
 *       since (by hand, by another command), so a later report proves nothing about it. A retained
 *       report (the broker's memory, which may predate the command) settles it when it shows the
 *       values but never decides against it.
 *   <li>a late reply naming the command (an MQTT reply queued in the gateway's broker session)
 *       settles it {@code succeeded}, or {@code failed} when the device rejected it.
 *   <li>an action is never inferred from state: only a reply settles it.
 * </ul>
 *
 * Each settlement is one transition, stored and published as a {@code command} event. Owned by
 * {@link CommandService}, on the core context.
 */
final class UnknownSettlement {
  private static final Logger LOG = LoggerFactory.getLogger(UnknownSettlement.class);

  private final Vertx vertx;
  private final Clock clock;
  private final AsyncStore store;
  private final EventHub events;
  private final DeviceStates states;
  private final long windowMs;
  private final Map<String, List<Watched>> byDevice = new HashMap<>();
  private final Map<String, Watched> byId = new HashMap<>();
  private Instant until = Instant.MIN;

  /**
   * An {@code unknown} command and what would settle it.
   *
   * @param set its values as validated for the device's profile; empty for an action (or a request
   *            that no longer fits the profile): only a reply settles those
   */
  record Watched(CommandRecord record, Map<String, Object> set) {}

  UnknownSettlement(Vertx vertx, Clock clock, AsyncStore store, EventHub events, DeviceStates states, long windowMs) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.store = Objects.requireNonNull(store, "store");
    this.events = Objects.requireNonNull(events, "events");
    this.states = Objects.requireNonNull(states, "states");
    this.windowMs = windowMs;
  }

  /** The oldest end of an {@code unknown} command a start at {@code now} still watches; null: none. */
  Instant oldestWatched(Instant now) {
    return windowMs <= 0 ? null : now.minusMillis(windowMs);
  }

  /** At start: watches these {@code unknown} commands until the window closes. */
  void watch(List<Watched> unknown) {
    if (windowMs <= 0 || unknown.isEmpty()) {
      return;
    }
    until = clock.instant().plusMillis(windowMs);
    for (Watched w : unknown) {
      byId.put(w.record.commandId(), w);
      byDevice.computeIfAbsent(w.record.deviceId(), k -> new ArrayList<>()).add(w);
    }
    vertx.setTimer(windowMs, t -> closeWindow());
    LOG.info("commands of unknown outcome wait for their device's report or reply [count: {}, windowMs: {}]",
        unknown.size(), windowMs);
  }

  /** How many commands may still be settled. */
  int watching() {
    return byId.size();
  }

  /** A device's report (already applied to its state) may settle its {@code unknown} set commands. */
  void reported(StateReport report) {
    List<Watched> list = byDevice.get(report.deviceId());
    if (list == null || !open()) {
      return;
    }
    for (Watched w : List.copyOf(list)) {
      if (w.set.isEmpty() || Collections.disjoint(w.set.keySet(), report.properties().keySet())) {
        continue; // an action, or a report about other properties: not about this command
      }
      if (states.shows(report.deviceId(), w.set)) {
        settle(w, CommandStatus.SUCCEEDED, null);
      } else if (!report.retained()) {
        forget(w);
        LOG.debug("command stays unknown: the device's next report shows other values [device: {}, cid: {}]",
            report.deviceId(), w.record.commandId());
      }
    }
  }

  /**
   * A reply for no command in flight: settles the {@code unknown} command it names, if any.
   *
   * @return whether it named one
   */
  boolean replied(CommandReply reply) {
    Watched w = byId.get(reply.commandId());
    if (w == null || !w.record.deviceId().equals(reply.deviceId()) || !open()) {
      return false;
    }
    if (reply.ok()) {
      settle(w, CommandStatus.SUCCEEDED, null);
    } else {
      settle(w, CommandStatus.FAILED, "rejected by the device (a reply after the restart): "
          + (reply.error() == null ? "no reason given" : reply.error()));
    }
    return true;
  }

  private boolean open() {
    if (clock.instant().isBefore(until)) {
      return true;
    }
    closeWindow();
    return false;
  }

  private void closeWindow() {
    if (!byId.isEmpty()) {
      LOG.info("settlement window closed, commands stay unknown [count: {}]", byId.size());
    }
    byId.clear();
    byDevice.clear();
  }

  private void settle(Watched w, CommandStatus status, String error) {
    forget(w);
    CommandRecord settled = w.record.withStatus(status, error, clock.instant());
    store.run(s -> s.commands().save(settled))
        .onFailure(e -> LOG.error("settled command not persisted [cid: {}]", settled.commandId(), e));
    CommandEvents.publish(events, settled);
    LOG.info("command of unknown outcome settled [device: {}, cid: {}, status: {}]", settled.deviceId(),
        settled.commandId(), status.wireName());
  }

  private void forget(Watched w) {
    byId.remove(w.record.commandId());
    List<Watched> list = byDevice.get(w.record.deviceId());
    if (list != null && list.remove(w) && list.isEmpty()) {
      byDevice.remove(w.record.deviceId());
    }
  }
}
