package io.hearth.gateway.automation;

import io.hearth.gateway.store.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A rule whose triggers are armed: it matches state changes and device events, keeps the timers of
 * its {@code for} durations and time triggers, and starts runs by its mode (docs/automations.md,
 * "Modes" and "Loops"). Everything on the engine's thread.
 */
final class ArmedRule {
  static final Duration RATE_WINDOW = Duration.ofMinutes(1);

  final Rule rule;
  private final Hooks hooks;
  private final List<Run> active = new ArrayList<>();
  private final Deque<Map<String, Object>> queue = new ArrayDeque<>();
  /** Pending {@code for} timers by trigger index. */
  private final Map<Integer, Scheduler.Timer> stays = new HashMap<>();
  private final List<Scheduler.Timer> timeTimers = new ArrayList<>();
  private Instant windowStart = Instant.MIN;
  private int startedInWindow;
  private boolean throttleRecorded;
  final Stats stats = new Stats();
  private boolean disarmed;

  /** Counters the API shows ({@code stats} of an automation). */
  static final class Stats {
    long triggered;
    long conditionsFailed;
    long runs;
    long dropped;
    long throttled;

    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("triggered", triggered);
      m.put("conditionsFailed", conditionsFailed);
      m.put("runs", runs);
      m.put("dropped", dropped);
      m.put("throttled", throttled);
      return m;
    }
  }

  /** What an armed rule needs of the engine. */
  interface Hooks extends Run.Engine {
    int maxRunsPerMinute();

    Optional<Instant> nextTime(Trigger trigger, Instant after);

    boolean conditionsHold(Rule rule);
  }

  ArmedRule(Rule rule, Hooks hooks) {
    this.rule = rule;
    this.hooks = hooks;
  }

  /** Schedules the time and sun triggers. */
  void arm() {
    for (Trigger t : rule.triggers()) {
      if (t instanceof Trigger.Time || t instanceof Trigger.Sun) {
        scheduleTime(t, hooks.scheduler().now());
      }
    }
  }

  private void scheduleTime(Trigger t, Instant after) {
    hooks.nextTime(t, after).ifPresent(at -> {
      Scheduler.Timer[] self = new Scheduler.Timer[1];
      self[0] = hooks.scheduler().schedule(Duration.between(hooks.scheduler().now(), at), () -> {
        timeTimers.remove(self[0]);
        if (disarmed) {
          return;
        }
        Map<String, Object> info = info(t);
        info.put("at", at.toString());
        fire(info, false);
        scheduleTime(t, at);
      });
      timeTimers.add(self[0]);
    });
  }

  /** A device's properties changed: {@code old} holds their values before (null: unknown). */
  void stateChanged(String device, Map<String, Object> changes, Map<String, Object> old) {
    List<Trigger> triggers = rule.triggers();
    for (int i = 0; i < triggers.size(); i++) {
      Trigger t = triggers.get(i);
      if (!device.equals(t.device())) {
        continue;
      }
      if (t instanceof Trigger.State s && changes.containsKey(s.property())) {
        Object before = old == null ? null : old.get(s.property());
        Object now = changes.get(s.property());
        if (old != null && old.containsKey(s.property()) && Values.same(before, now)) {
          continue; // not a change of this property
        }
        boolean match = (s.from() == null || Values.matches(s.from(), before))
            && (s.to() == null || Values.matches(s.to(), now));
        transition(i, t, match, s.stay(), s.to() != null && Values.matches(s.to(), now), before, now);
      } else if (t instanceof Trigger.NumericState n && changes.containsKey(n.property())) {
        Object before = old == null ? null : old.get(n.property());
        Object now = changes.get(n.property());
        boolean in = Values.inRange(now, n.above(), n.below());
        boolean entered = in && !Values.inRange(before, n.above(), n.below());
        transition(i, t, entered, n.stay(), in, before, now);
      }
    }
  }

  /**
   * @param match     this change fires the trigger (or starts its {@code for})
   * @param stillHolds a pending {@code for} survives this change
   */
  private void transition(int i, Trigger t, boolean match, Duration stay, boolean stillHolds, Object before,
      Object now) {
    Map<String, Object> info = info(t);
    info.put("from", before);
    info.put("to", now);
    if (stay == null) {
      if (match) {
        fire(info, false);
      }
      return;
    }
    Scheduler.Timer pending = stays.get(i);
    if (pending != null && !stillHolds) {
      pending.cancel();
      stays.remove(i);
      pending = null;
    }
    if (pending == null && match) {
      info.put("for", stay.toString());
      stays.put(i, hooks.scheduler().schedule(stay, () -> {
        stays.remove(i);
        if (!disarmed) {
          fire(info, false);
        }
      }));
    }
  }

  /** A device event. */
  void deviceEvent(String device, String name, Map<String, Object> data) {
    for (Trigger t : rule.triggers()) {
      if (t instanceof Trigger.Event e && device.equals(e.device()) && e.event().equals(name)
          && e.data().entrySet().stream().allMatch(x -> Values.matches(x.getValue(), data.get(x.getKey())))) {
        Map<String, Object> info = info(t);
        info.put("event", name);
        info.put("data", data);
        fire(info, false);
      }
    }
  }

  private static Map<String, Object> info(Trigger t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", t instanceof Trigger.State ? "state" : t instanceof Trigger.NumericState ? "numeric_state"
        : t instanceof Trigger.Event ? "event" : t instanceof Trigger.Time ? "time"
        : ((Trigger.Sun) t).event().name().toLowerCase(java.util.Locale.ROOT));
    if (t.id() != null) {
      m.put("id", t.id());
    }
    if (t.device() != null) {
      m.put("device", t.device());
    }
    if (t instanceof Trigger.State s) {
      m.put("property", s.property());
    } else if (t instanceof Trigger.NumericState n) {
      m.put("property", n.property());
    }
    return m;
  }

  /**
   * A trigger fired: checks the conditions (unless {@code skipConditions}), the rate cap and the
   * mode; returns the id of the run it started or queued, or empty when none.
   */
  Optional<String> fire(Map<String, Object> trigger, boolean skipConditions) {
    stats.triggered++;
    if (!skipConditions && !hooks.conditionsHold(rule)) {
      stats.conditionsFailed++;
      return Optional.empty();
    }
    Instant now = hooks.scheduler().now();
    if (!now.isBefore(windowStart.plus(RATE_WINDOW))) {
      windowStart = now;
      startedInWindow = 0;
      throttleRecorded = false;
    }
    if (startedInWindow >= hooks.maxRunsPerMinute()) {
      stats.throttled++;
      if (!throttleRecorded) { // one record per window, so a loop cannot flood the store
        throttleRecorded = true;
        hooks.record(new RunRecord(UUID.randomUUID().toString(), rule.id(), now, now, "throttled", trigger, List.of(),
            "more than " + hooks.maxRunsPerMinute() + " runs in a minute (automations.maxRunsPerMinute)"));
      }
      return Optional.empty();
    }
    switch (rule.mode()) {
      case SINGLE -> {
        if (!active.isEmpty()) {
          stats.dropped++;
          return Optional.empty();
        }
      }
      case RESTART -> List.copyOf(active).forEach(r -> r.cancel("cancelled", "restarted by a new trigger"));
      case QUEUED -> {
        if (!active.isEmpty()) {
          if (active.size() + queue.size() >= rule.max()) {
            stats.dropped++;
            return Optional.empty();
          }
          queue.add(trigger);
          startedInWindow++;
          return Optional.of("queued");
        }
      }
      case PARALLEL -> {
        if (active.size() >= rule.max()) {
          stats.dropped++;
          return Optional.empty();
        }
      }
    }
    startedInWindow++;
    return Optional.of(start(trigger));
  }

  private String start(Map<String, Object> trigger) {
    stats.runs++;
    Run run = new Run(UUID.randomUUID().toString(), rule, trigger, hooks, this::ended);
    active.add(run);
    run.start();
    return run.id();
  }

  private void ended(Run run) {
    active.remove(run);
    if (!disarmed && rule.mode() == Rule.Mode.QUEUED && active.isEmpty() && !queue.isEmpty()) {
      start(queue.poll());
    }
  }

  /** How many runs are under way (not counting queued ones). */
  int running() {
    return active.size();
  }

  /** Stops its timers and ends its runs with that status. */
  void disarm(String status, String reason) {
    disarmed = true;
    stays.values().forEach(Scheduler.Timer::cancel);
    stays.clear();
    timeTimers.forEach(Scheduler.Timer::cancel);
    timeTimers.clear();
    queue.clear();
    List.copyOf(active).forEach(r -> r.cancel(status, reason));
  }
}
