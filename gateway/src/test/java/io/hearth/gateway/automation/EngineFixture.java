package io.hearth.gateway.automation;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.gateway.command.CommandRequest;
import io.hearth.gateway.command.CommandResult;
import io.hearth.gateway.config.Yaml;
import io.hearth.gateway.events.EventHub;
import io.hearth.gateway.events.GatewayEvent;
import io.hearth.gateway.store.RunRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The engine with a hand-driven clock, a map for the device states, an event hub, and a command
 * sink that records each command and answers it when the test says so (or at once).
 */
final class EngineFixture {
  final ManualScheduler scheduler;
  final EventHub hub = new EventHub(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), 0);
  final Map<String, Map<String, Object>> states = new HashMap<>();
  final List<String> commands = new ArrayList<>();
  final List<Promise<CommandResult>> open = new ArrayList<>();
  final Map<String, RunRecord> runs = new LinkedHashMap<>();
  final List<GatewayEvent> alerts = new CopyOnWriteArrayList<>();
  boolean answerAtOnce = true;
  final AutomationEngine engine;
  private int commandIds;

  EngineFixture(Instant start, ZoneId zone, SunTimes sun) {
    scheduler = new ManualScheduler(start);
    CommandSink sink = this::submit;
    engine = new AutomationEngine(scheduler, hub, id -> states.get(id), sink, SceneActivator.NONE,
        r -> runs.put(r.runId(), r), new AutomationEngine.Settings(30, zone, sun));
    hub.addListener(e -> {
      if (e.kind().equals(AutomationEngine.ALERT)) {
        alerts.add(e);
      }
    });
    engine.start();
  }

  EngineFixture(Instant start) {
    this(start, ZoneOffset.UTC, null);
  }

  private Future<CommandResult> submit(String device, CommandRequest request) {
    commands.add(device + " " + (request.action() != null ? request.action() : request.set()));
    String id = "c" + (++commandIds);
    if (answerAtOnce) {
      return Future.succeededFuture(new CommandResult.Succeeded(id, device, null, null));
    }
    Promise<CommandResult> p = Promise.promise();
    open.add(p);
    return p.future().map(r -> r);
  }

  /** A device reports values: the state map changes, then the hub publishes the change (as DeviceStates does). */
  void report(String device, Map<String, Object> changes) {
    states.computeIfAbsent(device, d -> new HashMap<>()).putAll(changes);
    hub.publish(GatewayEvent.STATE, device, Map.of("changes", changes, "version", 1));
  }

  void event(String device, String name) {
    hub.publish(GatewayEvent.EVENT, device, Map.of("name", name, "data", Map.of()));
  }

  /** Parses and arms a rule written in YAML. */
  Rule arm(String yaml) {
    Rule rule = parse(yaml);
    engine.arm(rule);
    return rule;
  }

  static Rule parse(String yaml) {
    try {
      JsonNode tree = Yaml.MAPPER.readTree(yaml);
      RuleParser.Result r = new RuleParser(ZoneOffset.UTC, id -> true).parse(tree, null, false);
      if (!r.ok()) {
        throw new AssertionError("rule does not parse: " + r.errors());
      }
      return r.rule();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  List<RunRecord> runs(String status) {
    return runs.values().stream().filter(r -> r.status().equals(status)).toList();
  }
}
