package io.hearth.gateway.automation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.events.EventHub;
import io.hearth.gateway.store.AsyncStore;
import io.hearth.gateway.store.AutomationStore.StoredAutomation;
import io.hearth.gateway.store.RunRecord;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automations resource (docs/automations.md, docs/api.md "Automations"): the rules of the
 * automations file (read-only) and those created through the API (stored), kept armed in the
 * {@link AutomationEngine}; every change is published as an {@code automation} event. Runs on the
 * core context; the store on its own thread.
 */
public final class Automations {
  private static final Logger LOG = LoggerFactory.getLogger(Automations.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Event kind of a change to an automation or the end of a run (docs/websocket.md). */
  public static final String EVENT_KIND = io.hearth.gateway.events.GatewayEvent.AUTOMATION;

  private final AsyncStore store;
  private final AutomationEngine engine;
  private final EventHub hub;
  private final RuleParser parser;
  private final Path file;
  private final Clock clock;
  private final Map<String, Rule> rules = new LinkedHashMap<>();

  public Automations(AsyncStore store, AutomationEngine engine, EventHub hub, RuleParser parser, Path file,
      Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.hub = Objects.requireNonNull(hub, "hub");
    this.parser = Objects.requireNonNull(parser, "parser");
    this.file = file;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * What the engine records a run with: saved in the store (in order, on its thread), and an
   * {@code automation} event when it ends.
   */
  public static java.util.function.Consumer<RunRecord> runLog(AsyncStore store, EventHub hub) {
    return r -> {
      store.run(s -> s.automations().saveRun(r))
          .onFailure(e -> LOG.warn("run not saved [run: {}, reason: {}]", r.runId(), e.getMessage()));
      if (r.endedAt() != null) {
        hub.publish(EVENT_KIND, "", Map.of("change", "run", "id", r.automationId(), "runId", r.runId(),
            "status", r.status()));
      }
    };
  }

  /**
   * Ends the runs a stop or crash left {@code running} as {@code interrupted}, reads the file and
   * the stored rules, and arms the enabled ones.
   */
  public Future<Void> start() {
    List<Rule> fromFile = file == null ? List.of() : AutomationFile.read(file, parser.anyDevice());
    fromFile.forEach(r -> rules.put(r.id(), r));
    return store.call(s -> {
      int interrupted = s.automations().interruptRunning(clock.instant());
      if (interrupted > 0) {
        LOG.warn("automation runs interrupted by the last stop [count: {}]", interrupted);
      }
      return s.automations().load();
    }).map(stored -> {
      for (StoredAutomation a : stored) {
        if (rules.containsKey(a.id())) {
          LOG.warn("stored automation hidden by the automations file's rule of the same id [id: {}]", a.id());
          continue;
        }
        try {
          RuleParser.Result r = parser.anyDevice().parse(JSON.readTree(a.definition()), a.id(), false);
          if (r.ok()) {
            rules.put(a.id(), r.rule().withEnabled(a.enabled()));
          } else {
            LOG.error("stored automation does not parse, not armed [id: {}, errors: {}]", a.id(), r.errors());
          }
        } catch (JsonProcessingException e) {
          LOG.error("stored automation unreadable [id: {}]", a.id());
        }
      }
      rules.values().forEach(engine::arm);
      engine.start();
      LOG.info("automations armed [rules: {}, fromFile: {}]", rules.size(), fromFile.size());
      return null;
    });
  }

  /** Disarms everything; runs under way end {@code interrupted} (recorded before the store closes). */
  public Future<Void> stop() {
    engine.stop();
    return store.call(s -> null).mapEmpty(); // after the runs' last records, in the store's order
  }

  public List<Rule> all() {
    return List.copyOf(rules.values());
  }

  public Rule get(String id) {
    Rule r = rules.get(id);
    if (r == null) {
      throw new AutomationException(AutomationException.Reason.NOT_FOUND, "no automation '" + id + "'");
    }
    return r;
  }

  /** Counters and runs under way of an enabled rule. */
  public Optional<Map<String, Object>> stats(String id) {
    return engine.stats(id);
  }

  /** Creates a rule; an id not given is generated. */
  public Future<Rule> create(JsonNode body) {
    String id = body != null && body.isObject() && !body.has("id") ? "a-" + UUID.randomUUID().toString().substring(0, 8)
        : null;
    Rule rule = parse(body, id);
    if (rules.containsKey(rule.id())) {
      return Future.failedFuture(new AutomationException(AutomationException.Reason.EXISTS,
          "automation '" + rule.id() + "' exists"));
    }
    return save(rule, "created");
  }

  /** Replaces a rule created through the API (its {@code enabled} comes from the body, default true). */
  public Future<Rule> replace(String id, JsonNode body) {
    writable(id);
    Rule rule = parse(body, id);
    return save(rule, "updated");
  }

  public Future<Rule> setEnabled(String id, boolean enabled) {
    Rule rule = writable(id).withEnabled(enabled);
    return save(rule, enabled ? "enabled" : "disabled");
  }

  public Future<Void> delete(String id) {
    writable(id);
    return store.run(s -> s.automations().delete(id)).map(v -> {
      rules.remove(id);
      engine.disarm(id, "the automation was deleted");
      publish("deleted", id);
      return null;
    });
  }

  /** Runs a rule now (conditions skipped unless {@code checkConditions}); the run's id, or "queued". */
  public String trigger(String id, boolean checkConditions) {
    Rule rule = get(id);
    if (!engine.isArmed(id)) {
      throw new AutomationException(AutomationException.Reason.NOT_STARTED, "automation '" + id + "' is disabled");
    }
    return engine.trigger(id, !checkConditions).orElseThrow(() -> new AutomationException(
        AutomationException.Reason.NOT_STARTED, "automation '" + id + "' did not start: "
            + (checkConditions ? "its conditions do not hold, or " : "") + "its mode (" + rule.mode().wireName()
            + ") or its rate cap (automations.maxRunsPerMinute) refused another run now"));
  }

  /** The newest runs, newest first. */
  public Future<List<RunRecord>> runs(String id, int limit) {
    get(id);
    return store.call(s -> s.automations().runs(id, limit));
  }

  /** Deletes run records older than the retention; returns how many. */
  public Future<Integer> purge(Duration keep) {
    return store.call(s -> s.automations().purgeRuns(clock.instant().minus(keep)));
  }

  private Rule parse(JsonNode body, String id) {
    RuleParser.Result r = parser.parse(body, id, false);
    if (!r.ok()) {
      throw ValidationException.of(r.errors());
    }
    return r.rule();
  }

  private Rule writable(String id) {
    Rule r = get(id);
    if (r.fromFile()) {
      throw new AutomationException(AutomationException.Reason.READ_ONLY, "automation '" + id
          + "' is declared in the automations file (" + file + "): change it there");
    }
    return r;
  }

  private Future<Rule> save(Rule rule, String change) {
    String definition;
    try {
      definition = JSON.writeValueAsString(rule.definition());
    } catch (JsonProcessingException e) {
      return Future.failedFuture(e);
    }
    return store.run(s -> s.automations().upsert(new StoredAutomation(rule.id(), definition, rule.enabled())))
        .map(v -> {
          rules.put(rule.id(), rule);
          engine.arm(rule);
          publish(change, rule.id());
          return rule;
        });
  }

  private void publish(String change, String id) {
    hub.publish(EVENT_KIND, "", Map.of("change", change, "id", id));
  }
}
