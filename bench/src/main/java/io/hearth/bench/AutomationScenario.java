package io.hearth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.gateway.automation.AutomationEngine;
import io.hearth.gateway.automation.Rule;
import io.hearth.gateway.automation.RuleParser;
import io.hearth.gateway.automation.Scheduler;
import io.hearth.gateway.command.CommandResult;
import io.hearth.gateway.config.Yaml;
import io.hearth.gateway.events.EventHub;
import io.hearth.gateway.events.GatewayEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The automation engine's cost (docs/benchmarks.md, "Automations"): 100 rules (state, numeric
 * with and without {@code for}, and event triggers, with conditions, on 50 sensors) on one thread,
 * as on the core context. Measures how many rule evaluations per second it sustains flat out, and
 * what 1,000 state changes per second cost (CPU of one core, time per change). Commands go to a sink
 * that answers at once: this is the engine, not the devices.
 */
final class AutomationScenario {
  static final int RULES = 100;
  static final int SENSORS = 50;
  static final int PACED_PER_SECOND = 1_000;

  private final BenchOptions options;

  AutomationScenario(BenchOptions options) {
    this.options = options;
  }

  JsonObject run() throws Exception {
    TimerQueue scheduler = new TimerQueue();
    EventHub hub = new EventHub(Clock.systemUTC(), 0);
    Map<String, Map<String, Object>> states = new HashMap<>();
    AtomicLong commands = new AtomicLong();
    AtomicLong runs = new AtomicLong();
    AutomationEngine engine = new AutomationEngine(scheduler, hub, states::get, (d, r) -> {
      commands.incrementAndGet();
      return Future.succeededFuture(new CommandResult.Succeeded("c", d, null, null));
    }, id -> Future.succeededFuture(new JsonObject()), r -> {
      if (r.endedAt() != null) {
        runs.incrementAndGet();
      }
    }, new AutomationEngine.Settings(1_000_000, ZoneOffset.UTC, null));
    RuleParser parser = new RuleParser(ZoneOffset.UTC, id -> true);
    for (int i = 0; i < RULES; i++) {
      engine.arm(rule(parser, i));
    }
    engine.start();
    long[] n = {0};
    Runnable change = () -> {
      long k = n[0]++;
      String sensor = "sensor-" + (k % SENSORS);
      Map<String, Object> changes = Map.of("temperature", 20.0 + (k / SENSORS) % 10, "open", (k / SENSORS) % 2 == 0);
      states.computeIfAbsent(sensor, s -> new HashMap<>()).putAll(changes);
      hub.publish(GatewayEvent.STATE, sensor, Map.of("changes", changes, "version", k));
      scheduler.runDue();
    };
    JsonObject out = new JsonObject().put("rules", RULES).put("sensors", SENSORS);
    // flat out: evaluations per second
    double seconds = options.quick() ? 1 : 5;
    long evals0 = engine.evaluations();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long changes0 = n[0];
    while (System.nanoTime() < end) {
      for (int i = 0; i < 100; i++) {
        change.run();
      }
    }
    double took = (System.nanoTime() - start) / 1e9;
    out.put("ruleEvaluationsPerSecond", Math.round((engine.evaluations() - evals0) / took))
        .put("stateChangesPerSecond", Math.round((n[0] - changes0) / took));
    // paced: 1,000 state changes per second
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Histogram perChange = new Histogram(3_600_000_000L, 3);
    double pacedSeconds = options.quick() ? 2 : 10;
    long total = (long) (pacedSeconds * PACED_PER_SECOND);
    long cpu0 = threads.getCurrentThreadCpuTime();
    long runs0 = runs.get();
    long t0 = System.nanoTime();
    for (long i = 0; i < total; i++) {
      long due = t0 + i * 1_000_000_000L / PACED_PER_SECOND;
      while (System.nanoTime() < due) {
        Thread.onSpinWait();
      }
      long s = System.nanoTime();
      change.run();
      perChange.recordValue(Math.max(1, (System.nanoTime() - s) / 1000));
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
    // the pacing loop spins; the cost is the time inside the changes
    double busy = perChange.getTotalCount() * perChange.getMean() / 1e6;
    out.put("paced", new JsonObject().put("stateChangesPerSecond", Math.round(total / wall))
        .put("cpuPercentOfOneCore", Math.round(busy / wall * 1000) / 10.0)
        .put("p50UsPerChange", perChange.getValueAtPercentile(50))
        .put("p99UsPerChange", perChange.getValueAtPercentile(99))
        .put("runsCompleted", runs.get() - runs0)
        .put("threadCpuSecondsIncludingPacing", Math.round(cpu * 100) / 100.0));
    out.put("commandsSent", commands.get());
    engine.stop();
    return out;
  }

  /** Rule i: a state, numeric, numeric-for or event trigger on sensor i % 50, with a condition. */
  private static Rule rule(RuleParser parser, int i) throws java.io.IOException {
    String sensor = "sensor-" + (i % SENSORS);
    String trigger = switch (i % 4) {
      case 0 -> "{ trigger: state, device: " + sensor + ", property: open, to: true }";
      case 1 -> "{ trigger: numeric_state, device: " + sensor + ", property: temperature, above: " + (22 + i % 6) + " }";
      case 2 -> "{ trigger: numeric_state, device: " + sensor + ", property: temperature, below: 23, for: 5m }";
      default -> "{ trigger: event, device: " + sensor + ", event: pressed }";
    };
    String yaml = "id: rule-" + i + "\nmode: " + (i % 2 == 0 ? "restart" : "queued") + "\ntriggers: [ " + trigger
        + " ]\nconditions: [ { condition: numeric_state, device: " + sensor + ", property: temperature, below: 40 } ]"
        + "\nactions: [ { command: { device: lamp-" + i + ", set: { power: true } } } ]\n";
    JsonNode tree = Yaml.MAPPER.readTree(yaml);
    RuleParser.Result r = parser.parse(tree, null, false);
    if (!r.ok()) {
      throw new IllegalStateException("bench rule " + i + ": " + r.errors());
    }
    return r.rule();
  }

  /** Timers on the benchmark's one thread: due ones run between state changes (as Vert.x timers would). */
  private static final class TimerQueue implements Scheduler {
    private record Task(Instant at, Runnable run, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(Comparator.comparing(Task::at));

    @Override
    public Instant now() {
      return Instant.now();
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
      boolean[] cancelled = {false};
      tasks.add(new Task(Instant.now().plus(delay), task, cancelled));
      return () -> cancelled[0] = true;
    }

    void runDue() {
      Instant now = Instant.now();
      while (!tasks.isEmpty() && !tasks.peek().at().isAfter(now)) {
        Task t = tasks.poll();
        if (!t.cancelled()[0]) {
          t.run().run();
        }
      }
    }
  }
}
