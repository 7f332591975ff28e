package io.hearth.gateway.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.adapter.CommandReply;
import io.hearth.adapter.DeviceAdapter;
import io.hearth.adapter.DeviceCommand;
import io.hearth.adapter.StateReport;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.domain.RateLimitedException;
import io.hearth.gateway.domain.CommandNotFoundException;
import io.hearth.gateway.domain.DeviceNotFoundException;
import io.hearth.gateway.domain.DeviceOfflineException;
import io.hearth.gateway.domain.DomainException;
import io.hearth.gateway.domain.TooManyWaitingException;
import io.hearth.gateway.domain.UnavailableException;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.events.EventHub;
import io.hearth.gateway.profile.CommandValidator;
import io.hearth.gateway.registry.DeviceRegistry;
import io.hearth.gateway.registry.DeviceRegistry.RegisteredDevice;
import io.hearth.gateway.state.Availability;
import io.hearth.gateway.state.AvailabilityPolicy;
import io.hearth.gateway.state.DeviceStates;
import io.hearth.gateway.store.AsyncStore;
import io.hearth.gateway.store.CommandRecord;
import io.hearth.gateway.store.CommandStatus;
import io.hearth.gateway.store.FailureReason;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.function.LongSupplier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every command's whole life in one place: validate → {@code pending} → {@code sent} →
 * {@code succeeded} | {@code failed} | {@code timed_out} | {@code unknown} (stopped or crashed
 * while it may have reached the device; {@link UnknownSettlement} may settle it after a restart), or
 * {@code pending} → {@code superseded}. It keeps the deadline, matches replies and confirming state
 * reports, delivers commands to one device in the order they were accepted, several in flight at once
 * ({@link SendQueues}), and makes sure no command is left without a terminal status (timeouts,
 * shutdown, restart). Used on the core context only.
 */
public final class CommandService {
  private static final LongSupplier NO_BUDGET = () -> 0;
  private static final String UNKNOWN_AT_STOP = "the gateway shut down before the device confirmed the command;"
      + " it may have been executed";
  private static final Logger LOG = LoggerFactory.getLogger(CommandService.class);
  static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final Clock clock;
  private final DeviceRegistry registry;
  private final DeviceStates states;
  private final Function<String, DeviceAdapter> adapters;
  private final AsyncStore store;
  private final EventHub events;
  private final GatewayConfig.Commands config;
  private final Idempotency idempotency;
  private final Map<String, InFlight> inFlight = new HashMap<>();
  private final Map<String, List<InFlight>> inFlightByDevice = new HashMap<>();
  private final SendQueues sendQueues;
  private final WakeQueue wake;
  private final CommandResults results;
  private final UnknownSettlement unknowns;
  private boolean closing;

  /** With the default {@code commands.unknownSettleWindowMs} and {@code commands.maxInFlightPerDevice}. */
  public CommandService(Vertx vertx, Clock clock, DeviceRegistry registry, DeviceStates states,
      Function<String, DeviceAdapter> adapters, AsyncStore store, EventHub events, GatewayConfig.Commands config) {
    this(vertx, clock, registry, states, adapters, store, events, config, GatewayConfig.Recovery.DEFAULTS,
        GatewayConfig.CommandFlow.DEFAULTS.maxInFlightPerDevice());
  }

  /**
   * @param recovery             how long an {@code unknown} command may still be settled
   *     ({@code commands.unknownSettleWindowMs})
   * @param maxInFlightPerDevice commands to one device sent and not yet ended at most
   *     ({@code commands.maxInFlightPerDevice})
   */
  public CommandService(Vertx vertx, Clock clock, DeviceRegistry registry, DeviceStates states,
      Function<String, DeviceAdapter> adapters, AsyncStore store, EventHub events, GatewayConfig.Commands config,
      GatewayConfig.Recovery recovery, int maxInFlightPerDevice) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.states = Objects.requireNonNull(states, "states");
    this.adapters = Objects.requireNonNull(adapters, "adapters");
    this.store = Objects.requireNonNull(store, "store");
    this.events = Objects.requireNonNull(events, "events");
    this.config = Objects.requireNonNull(config, "config");
    this.idempotency = new Idempotency(store, clock);
    this.results = new CommandResults(states);
    this.unknowns = new UnknownSettlement(vertx, clock, store, events, states, recovery.unknownSettleWindowMs());
    this.wake = new WakeQueue(vertx, clock,
        f -> fail(f, FailureReason.EXPIRED, WakeQueue.expiredText(f.record.createdAt(), f.waitsUntil)));
    this.sendQueues = new SendQueues(maxInFlightPerDevice, this::send, (f, cause) -> {
      LOG.error("command not persisted, not sent [cid: {}]", f.command.commandId(), cause);
      fail(f, FailureReason.STORE, "the gateway could not record the command");
    });
  }

  /**
   * At start: commands the last run left unfinished end {@code unknown} (or {@code failed} if they
   * were certainly never sent), and none is ever re-sent, except those still waiting for their
   * device's wake-up, which wait again ({@link CommandRecovery}).
   *
   * @return how many it ended
   */
  public Future<Integer> recover() {
    Instant watchSince = unknowns.oldestWatched(clock.instant());
    return CommandRecovery.recover(store, registry, clock, events, watchSince).map(outcome -> {
      unknowns.watch(outcome.unknown());
      for (InFlight f : outcome.waiting()) {
        inFlight.put(f.command.commandId(), f);
        inFlightByDevice.computeIfAbsent(f.command.deviceId(), k -> new ArrayList<>()).add(f);
        wake.resume(f);
      }
      return outcome.ended();
    });
  }

  /** Once the devices are tracked at start: the resumed waiting commands' values show as pending again. */
  public void resumeWaiting() {
    wake.resumed().forEach(f -> states.setPending(f.command.deviceId(), f.command.commandId(), f.command.set()));
  }

  /**
   * Submits a command. A request refused before anything is sent fails the future with a
   * {@code domain} exception ({@link DeviceNotFoundException}, {@link ValidationException},
   * {@link DeviceOfflineException}, {@link UnavailableException}); once accepted, the future
   * completes with its {@link CommandResult} (which may be {@link CommandResult.Failed}: rejected,
   * timed out, …).
   */
  public Future<CommandResult> submit(String deviceId, CommandRequest request, String idempotencyKey) {
    return submit(deviceId, request, idempotencyKey, NO_BUDGET);
  }

  /**
   * Submits a command spending the session's budget only when it creates one: a replay of an
   * idempotency key (answered from the record) spends nothing.
   *
   * @param budget takes one command from the session's budget: 0 to go on, else the whole seconds
   *     to wait; the future then fails with {@link RateLimitedException}
   */
  public Future<CommandResult> submit(String deviceId, CommandRequest request, String idempotencyKey,
      LongSupplier budget) {
    try {
      RegisteredDevice device = registry.require(deviceId);
      ValidatedCommand validated = ValidatedCommand.of(device, request, config);
      if (idempotencyKey == null) {
        return spend(budget).compose(v -> accept(device, validated, null));
      }
      String scopedKey = deviceId + '\u0000' + idempotencyKey;
      return idempotency.execute(scopedKey, deviceId, validated.requestJson(),
          () -> spend(budget).compose(v -> accept(device, validated, scopedKey)), r -> results.of(r, null, null));
    } catch (DomainException e) {
      return Future.failedFuture(e);
    }
  }

  private static Future<Void> spend(LongSupplier budget) {
    long wait = budget.getAsLong();
    return wait > 0 ? Future.failedFuture(new RateLimitedException(wait)) : Future.succeededFuture();
  }

  /** A command of this device, from memory while in flight, else from the store. */
  public Future<CommandRecord> find(String deviceId, String commandId) {
    if (registry.get(deviceId).isEmpty()) {
      return Future.failedFuture(new DeviceNotFoundException(deviceId));
    }
    InFlight f = inFlight.get(commandId);
    if (f != null) {
      return f.record.deviceId().equals(deviceId) ? Future.succeededFuture(f.record) : notFound(commandId);
    }
    return store.call(s -> s.commands().find(commandId)).compose(r -> r.isPresent() && r.get().deviceId().equals(deviceId)
        ? Future.succeededFuture(r.get()) : notFound(commandId));
  }

  private static <T> Future<T> notFound(String commandId) {
    return Future.failedFuture(new CommandNotFoundException(commandId));
  }

  private Future<CommandResult> accept(RegisteredDevice device, ValidatedCommand a, String scopedKey) {
    if (closing) {
      return Future.failedFuture(new UnavailableException("the gateway is shutting down"));
    }
    String deviceId = device.id();
    DeviceAdapter adapter = adapters.apply(device.definition().binding().protocol());
    boolean hold = a.nextWake() && adapter != null && (!adapter.isUp()
        || states.availability(deviceId) == Availability.OFFLINE || AvailabilityPolicy.sleepy(device.definition()));
    if (hold && wake.waiting(deviceId) >= config.maxWaitingPerDevice()) {
      return Future.failedFuture(new TooManyWaitingException(deviceId, config.maxWaitingPerDevice()));
    }
    if (!hold && (adapter == null || !adapter.isUp())) {
      return Future.failedFuture(new DeviceOfflineException(deviceId, "device '" + deviceId
          + "' is unreachable: the " + device.definition().binding().protocol() + " transport is down"));
    }
    if (!hold && states.availability(deviceId) == Availability.OFFLINE) {
      return Future.failedFuture(new DeviceOfflineException(deviceId, "device '" + deviceId + "' is offline"));
    }
    Instant now = clock.instant();
    String commandId = UUID.randomUUID().toString();
    DeviceCommand command = new DeviceCommand(commandId, deviceId, a.set(), a.action(), a.input(),
        now.plusMillis(a.timeoutMs()));
    CommandRecord record = new CommandRecord(commandId, deviceId, a.requestJson(), CommandStatus.PENDING, null, now,
        null);
    InFlight f = new InFlight(command, adapter.confirmation(device.definition()), record, a.timeoutMs());
    inFlight.put(commandId, f);
    inFlightByDevice.computeIfAbsent(deviceId, k -> new ArrayList<>()).add(f);
    if (!hold) {
      // coalescing: queued, unsent sets whose every property this one sets again are not sent
      for (InFlight old : sendQueues.supersede(deviceId, a.set().keySet())) {
        old.supersededBy = commandId;
        end(old, CommandStatus.SUPERSEDED, null);
      }
    }
    states.setPending(deviceId, commandId, a.set());
    if (hold) {
      wake.hold(f, now.plusMillis(a.expiresInMs()));
    } else {
      startTimer(f);
    }
    // a nextWake command that goes out now is stored as sent: a restart must not take it for one still waiting
    CommandRecord stored = a.nextWake() && !hold ? record.withStatus(CommandStatus.SENT, null, null) : record;
    Future<Void> persisted = store.run(s -> s.commands().save(stored));
    Future<Void> keyed = scopedKey == null ? Future.succeededFuture() : idempotency.reserve(scopedKey, commandId);
    LOG.debug("command accepted [device: {}, cid: {}, timeoutMs: {}]", deviceId, commandId, a.timeoutMs());
    // durable before it leaves: a crash after the send must find the command (and its key) at restart
    Future<Void> durable = Future.all(persisted, keyed).mapEmpty();
    if (hold) {
      // answered at once, whatever wait says: it may wait for hours (docs/api.md#commands)
      LOG.debug("command waits for the device's wake-up [device: {}, cid: {}]", deviceId, commandId);
      durable.onFailure(e -> fail(f, FailureReason.STORE, "the gateway could not record the command"));
      return durable.map(v -> new CommandResult.Accepted(commandId));
    }
    sendQueues.enqueue(f, adapter, durable);
    if (!a.waitForOutcome()) {
      // the command must be findable (and its key known) before the client hears of its id
      return durable.map(v -> new CommandResult.Accepted(commandId));
    }
    // a command the store could not record was never sent: the caller hears the store's failure
    // (e.g. 503 STORE_UNAVAILABLE), never an id that would then not be found
    return durable.compose(v -> f.done.future()).map(r -> results.of(r, f.failure, f.supersededBy));
  }

  /** The confirmation timer: the command ends {@code timed_out} at its {@code timeoutMs}. */
  private void startTimer(InFlight f) {
    f.timerId = vertx.setTimer(f.timeoutMs, t -> {
      f.timerId = -1;
      fail(f, FailureReason.TIMED_OUT, "no confirmation from the device within " + f.timeoutMs + " ms");
    });
  }

  /**
   * The device sent something (it is awake): the commands waiting for it go out, oldest first, each
   * with its confirmation timeout from now. Each is stored as sent before it leaves, so a restart
   * never sends it again.
   */
  public void deviceHeard(String deviceId) {
    if (closing || wake.waiting(deviceId) == 0) { // shutting down: they wait again after the next start
      return;
    }
    RegisteredDevice device = registry.get(deviceId).orElse(null);
    DeviceAdapter adapter = device == null ? null : adapters.apply(device.definition().binding().protocol());
    if (adapter == null || !adapter.isUp()) {
      return;
    }
    for (InFlight f : wake.release(deviceId)) {
      f.confirmation = adapter.confirmation(device.definition());
      DeviceCommand c = f.command;
      f.command = new DeviceCommand(c.commandId(), deviceId, c.set(), c.action(), c.input(),
          clock.instant().plusMillis(f.timeoutMs));
      startTimer(f);
      CommandRecord sent = f.record.withStatus(CommandStatus.SENT, null, null);
      LOG.debug("command goes out on the device's wake-up [device: {}, cid: {}]", deviceId, c.commandId());
      sendQueues.enqueue(f, adapter, store.run(s -> s.commands().save(sent)));
    }
  }

  /** Sends one command whose turn came ({@link SendQueues}); a send that fails ends it {@code failed}. */
  private void send(InFlight f, DeviceAdapter adapter) {
    adapter.send(f.command).onComplete(r -> {
      if (r.succeeded()) {
        if (f.record.status() == CommandStatus.PENDING) {
          update(f, CommandStatus.SENT, null, null);
          LOG.debug("command sent [device: {}, cid: {}]", f.command.deviceId(), f.command.commandId());
        }
      } else {
        fail(f, FailureReason.UNREACHABLE, "could not send: " + r.cause().getMessage());
      }
    });
  }

  /** A device answered a command (reply conventions, CoAP responses). */
  public void replied(CommandReply reply) {
    InFlight f = inFlight.get(reply.commandId());
    if (f == null || !f.command.deviceId().equals(reply.deviceId())) {
      if (!unknowns.replied(reply)) { // else it settled a command that ended unknown before the restart
        LOG.debug("reply for no command in flight ignored [device: {}, cid: {}]", reply.deviceId(), reply.commandId());
      }
      return;
    }
    if (reply.ok()) {
      states.applyConfirmed(reply.deviceId(), f.command.set());
      end(f, CommandStatus.SUCCEEDED, null);
    } else {
      fail(f, FailureReason.REJECTED, reply.error() == null ? "rejected by the device" : reply.error());
    }
  }

  /** A device reported state: confirms commands of state-confirmed conventions that it shows. */
  public void stateReported(String deviceId) {
    List<InFlight> list = inFlightByDevice.get(deviceId);
    if (list == null) {
      return;
    }
    for (InFlight f : List.copyOf(list)) {
      if (f.confirmation == DeviceAdapter.Confirmation.STATE && f.sendStarted
          && (f.command.isAction() || states.shows(deviceId, f.command.set()))) {
        end(f, CommandStatus.SUCCEEDED, null);
      }
    }
  }

  /** A device's report (already applied to its state) may settle a command left {@code unknown} before the start. */
  public void unknownReported(StateReport report) {
    unknowns.reported(report);
  }

  /** Ends every in-flight command of a removed device. */
  public void deviceRemoved(String deviceId) {
    List<InFlight> list = inFlightByDevice.get(deviceId);
    if (list != null) {
      for (InFlight f : List.copyOf(list)) {
        fail(f, FailureReason.UNREACHABLE, "device removed");
      }
    }
  }

  /**
   * On shutdown: refuse new commands and end every in-flight one: {@code unknown} once handed to its
   * transport (it may have been executed), else {@code failed}; completes once persisted.
   */
  public Future<Void> shutdown() {
    closing = true;
    wake.close();
    sendQueues.close();
    List<Future<Void>> writes = new ArrayList<>();
    for (InFlight f : List.copyOf(inFlight.values())) {
      if (f.waiting()) { // stored pending: it waits again after the next start (recover)
        continue;
      }
      writes.add(f.sendStarted ? fail(f, FailureReason.OUTCOME_UNKNOWN, UNKNOWN_AT_STOP)
          : fail(f, FailureReason.SHUTDOWN, "the gateway shut down before the command was sent"));
    }
    if (!writes.isEmpty()) {
      LOG.info("in-flight commands ended at shutdown [count: {}]", writes.size());
    }
    return Future.join(writes).mapEmpty();
  }

  /** Forgets idempotency keys older than 24 h; returns how many rows went. */
  public Future<Integer> purgeIdempotency() {
    return idempotency.purge();
  }

  /** When a command waiting for its device's wake-up stops waiting; null if it does not wait (any more). */
  public Instant waitsUntil(String commandId) {
    InFlight f = inFlight.get(commandId);
    return f == null ? null : f.waitsUntil;
  }

  public int inFlightCount() {
    return inFlight.size();
  }

  /** Commands of {@code deviceId} recorded and waiting for a place in flight (tests). */
  int waitingToSend(String deviceId) {
    return sendQueues.waitingRecorded(deviceId);
  }

  /** Commands of {@code deviceId} sent and not yet ended (at most {@code commands.maxInFlightPerDevice}). */
  public int sentInFlight(String deviceId) {
    return sendQueues.inFlight(deviceId);
  }

  /** Records and publishes a new status; the future completes once it is written (at once for "sent"). */
  private Future<Void> update(InFlight f, CommandStatus status, String error, Instant completedAt) {
    f.record = f.record.withStatus(status, error, completedAt);
    CommandRecord snapshot = f.record;
    // "sent" is not written: while in flight the command is read from memory, and after a crash
    // "pending" and "sent" end the same way (unknown, by recover()); one store write less per command
    Future<Void> written = Future.succeededFuture();
    if (status != CommandStatus.SENT) {
      written = store.run(s -> s.commands().save(snapshot));
      written.onFailure(e -> LOG.error("command not persisted [cid: {}]", snapshot.commandId(), e));
    }
    CommandEvents.publish(events, snapshot, f.supersededBy);
    return written;
  }

  private Future<Void> fail(InFlight f, FailureReason reason, String error) {
    if (f.record.status().isTerminal()) {
      return Future.succeededFuture();
    }
    f.failure = reason;
    return end(f, reason.status(), error);
  }

  /** Ends a command: its terminal status, persisted and published; completes once it is on disk. */
  private Future<Void> end(InFlight f, CommandStatus status, String error) {
    if (f.record.status().isTerminal()) {
      return Future.succeededFuture();
    }
    if (f.timerId >= 0) {
      vertx.cancelTimer(f.timerId);
      f.timerId = -1;
    }
    String deviceId = f.command.deviceId();
    wake.remove(f);
    inFlight.remove(f.command.commandId());
    List<InFlight> list = inFlightByDevice.get(deviceId);
    if (list != null) {
      list.remove(f);
      if (list.isEmpty()) {
        inFlightByDevice.remove(deviceId);
      }
    }
    states.clearPending(deviceId, f.command.commandId());
    Future<Void> written = update(f, status, error, clock.instant());
    sendQueues.ended(f);
    LOG.debug("command {} [device: {}, cid: {}{}]", status.wireName(), deviceId, f.command.commandId(),
        error == null ? "" : ", error: " + error);
    CommandRecord done = f.record;
    f.done.complete(done);
    // the terminal status's own write: no extra store task per command just to learn it is on disk
    return written.recover(e -> Future.succeededFuture());
  }
}
