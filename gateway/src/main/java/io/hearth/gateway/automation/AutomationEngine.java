package io.hearth.gateway.automation;

import io.hearth.gateway.events.EventHub;
import io.hearth.gateway.events.GatewayEvent;
import io.hearth.gateway.store.RunRecord;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the automations on the hub (docs/automations.md): listens to the {@link EventHub} for state
 * changes and device events, keeps each enabled rule armed ({@link ArmedRule}), and runs their
 * actions through the command service, the scenes, timers of the {@link Scheduler} and
 * {@code alert} events. Everything on one thread (the core context); nothing blocks. Runs are
 * handed to {@code runLog} as they start, step and end.
 */
public final class AutomationEngine {
  private static final Logger LOG = LoggerFactory.getLogger(AutomationEngine.class);
  /** Event kind of a notify action (docs/websocket.md, "alert"). */
  public static final String ALERT = io.hearth.gateway.events.GatewayEvent.ALERT;

  /**
   * @param maxRunsPerMinute a rule starts at most this many runs per minute; more triggers are
   *                         dropped and one {@code throttled} run recorded per minute (loops)
   * @param zone             the time zone of the location (sun triggers' weekdays)
   * @param sun              sunrise and sunset at the location, or null when none is configured
   */
  public record Settings(int maxRunsPerMinute, ZoneId zone, SunTimes sun) {
  }

  private final Scheduler scheduler;
  private final EventHub hub;
  private final Function<String, Map<String, Object>> states;
  private final CommandSink commands;
  private final SceneActivator scenes;
  private final Consumer<RunRecord> runLog;
  private final Settings settings;
  private final Map<String, ArmedRule> armed = new LinkedHashMap<>();
  /** The last known state of the devices triggers watch (for {@code from} and crossings). */
  private final Map<String, Map<String, Object>> last = new HashMap<>();
  private final Map<String, List<Waiter>> waiters = new HashMap<>();
  private final Consumer<GatewayEvent> listener = this::onEvent;
  private final Hooks hooks = new Hooks();
  private long evaluations;

  private record Waiter(String property, Object state, Runnable matched) {
  }

  public AutomationEngine(Scheduler scheduler, EventHub hub, Function<String, Map<String, Object>> states,
      CommandSink commands, SceneActivator scenes, Consumer<RunRecord> runLog, Settings settings) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.hub = Objects.requireNonNull(hub, "hub");
    this.states = Objects.requireNonNull(states, "states");
    this.commands = Objects.requireNonNull(commands, "commands");
    this.scenes = Objects.requireNonNull(scenes, "scenes");
    this.runLog = Objects.requireNonNull(runLog, "runLog");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** Starts listening to the event hub. */
  public void start() {
    hub.addListener(listener);
  }

  /** Stops listening; every run under way ends {@code interrupted}. */
  public void stop() {
    hub.removeListener(listener);
    armed.values().forEach(a -> a.disarm("interrupted", "the gateway stopped"));
    armed.clear();
    waiters.clear();
  }

  /** Arms a rule (replacing one of the same id, whose runs end {@code cancelled}); a disabled rule is only disarmed. */
  public void arm(Rule rule) {
    disarm(rule.id(), "the automation was changed");
    if (!rule.enabled()) {
      return;
    }
    for (Trigger t : rule.triggers()) {
      if (t.device() != null) {
        last.computeIfAbsent(t.device(), d -> copy(states.apply(d)));
      }
    }
    ArmedRule a = new ArmedRule(rule, hooks);
    armed.put(rule.id(), a);
    a.arm();
  }

  /** Disarms a rule; its runs end {@code cancelled} with that reason. */
  public void disarm(String id, String reason) {
    ArmedRule a = armed.remove(id);
    if (a != null) {
      a.disarm("cancelled", reason);
    }
  }

  /**
   * Fires a rule by hand (the API's trigger); returns the run started (its id), queued ("queued"),
   * or empty when the mode or the rate cap dropped it or a condition failed.
   */
  public Optional<String> trigger(String id, boolean skipConditions) {
    ArmedRule a = armed.get(id);
    if (a == null) {
      return Optional.empty();
    }
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("type", "manual");
    return a.fire(info, skipConditions);
  }

  /** Whether a rule is armed (enabled). */
  public boolean isArmed(String id) {
    return armed.containsKey(id);
  }

  /** A rule's counters and runs under way, or empty when it is not armed. */
  public Optional<Map<String, Object>> stats(String id) {
    ArmedRule a = armed.get(id);
    if (a == null) {
      return Optional.empty();
    }
    Map<String, Object> m = a.stats.json();
    m.put("running", a.running());
    return Optional.of(m);
  }

  /** How many times a trigger's conditions were evaluated (state matches included) since start. */
  public long evaluations() {
    return evaluations;
  }

  private void onEvent(GatewayEvent e) {
    if (GatewayEvent.STATE.equals(e.kind()) && e.data().get("changes") instanceof Map<?, ?> raw) {
      @SuppressWarnings("unchecked")
      Map<String, Object> changes = (Map<String, Object>) raw;
      Map<String, Object> old = last.get(e.deviceId());
      for (ArmedRule a : List.copyOf(armed.values())) {
        evaluations++;
        a.stateChanged(e.deviceId(), changes, old);
      }
      if (old != null) {
        old.putAll(changes);
      }
      wake(e.deviceId(), changes);
    } else if (GatewayEvent.EVENT.equals(e.kind()) && e.data().get("name") instanceof String name) {
      @SuppressWarnings("unchecked")
      Map<String, Object> data = e.data().get("data") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of();
      for (ArmedRule a : List.copyOf(armed.values())) {
        evaluations++;
        a.deviceEvent(e.deviceId(), name, data);
      }
    }
  }

  private void wake(String device, Map<String, Object> changes) {
    List<Waiter> list = waiters.get(device);
    if (list == null) {
      return;
    }
    for (Waiter w : List.copyOf(list)) {
      if (changes.containsKey(w.property()) && Values.matches(w.state(), changes.get(w.property()))) {
        list.remove(w);
        w.matched().run();
      }
    }
  }

  private static Map<String, Object> copy(Map<String, Object> state) {
    return state == null ? new HashMap<>() : new HashMap<>(state);
  }

  /** What the armed rules and their runs use. */
  private final class Hooks implements ArmedRule.Hooks {
    @Override
    public Scheduler scheduler() {
      return scheduler;
    }

    @Override
    public CommandSink commands() {
      return commands;
    }

    @Override
    public SceneActivator scenes() {
      return scenes;
    }

    @Override
    public void alert(Rule rule, String runId, String title, String message) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("automation", rule.id());
      data.put("runId", runId);
      if (title != null) {
        data.put("title", title);
      }
      data.put("message", message);
      hub.publish(ALERT, "", data);
    }

    @Override
    public Object value(String device, String property) {
      return Conditions.value(states, device, property);
    }

    @Override
    public Runnable waitFor(String device, String property, Object state, Runnable matched) {
      Waiter w = new Waiter(property, state, matched);
      waiters.computeIfAbsent(device, d -> new ArrayList<>()).add(w);
      return () -> {
        List<Waiter> list = waiters.get(device);
        if (list != null) {
          list.remove(w);
        }
      };
    }

    @Override
    public void record(RunRecord run) {
      try {
        runLog.accept(run);
      } catch (RuntimeException e) {
        LOG.warn("run not recorded [automation: {}, run: {}, reason: {}]", run.automationId(), run.runId(),
            e.getMessage());
      }
    }

    @Override
    public int maxRunsPerMinute() {
      return settings.maxRunsPerMinute();
    }

    @Override
    public Optional<Instant> nextTime(Trigger trigger, Instant after) {
      if (trigger instanceof Trigger.Time t) {
        return TimeTriggers.next(t, after);
      }
      if (trigger instanceof Trigger.Sun s && settings.sun() != null) {
        return TimeTriggers.next(s, after, settings.sun(), settings.zone());
      }
      LOG.warn("sun trigger without location.latitude/longitude never fires [trigger: {}]", trigger);
      return Optional.empty();
    }

    @Override
    public boolean conditionsHold(Rule rule) {
      evaluations++;
      return Conditions.all(rule.conditions(), states, scheduler.now());
    }
  }
}
