package io.hearth.gateway.automation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.gateway.domain.FieldError;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a rule from its JSON/YAML tree (docs/automations.md, "Rule"), the same for the API and the
 * automations file. Every problem is one {@link FieldError} named by its path
 * ({@code triggers[0].to}); a rule is returned only when there is none.
 */
public final class RuleParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  static final int MAX_MAX = 1000;
  private static final Set<String> TOP = Set.of("id", "alias", "description", "enabled", "mode", "max", "triggers",
      "conditions", "actions");
  private static final Map<String, Set<String>> TRIGGER_FIELDS = Map.of(
      "state", Set.of("device", "property", "from", "to", "for"),
      "numeric_state", Set.of("device", "property", "above", "below", "for"),
      "event", Set.of("device", "event", "data"),
      "time", Set.of("at", "weekdays", "weekday", "timeZone"),
      "sun", Set.of("event", "offset", "weekdays", "weekday"));

  private final ZoneId zone;
  private final java.util.function.Predicate<String> knownDevice;

  /**
   * @param zone        the time zone of time triggers and conditions without {@code timeZone} ({@code location.timeZone})
   * @param knownDevice whether a device id names a registered device
   */
  public RuleParser(ZoneId zone, java.util.function.Predicate<String> knownDevice) {
    this.zone = zone;
    this.knownDevice = knownDevice;
  }

  /**
   * The same parser accepting any device id: for rules already accepted once (stored) and for the
   * automations file, so that removing a device never hides a rule or stops a start (the rule's
   * triggers on it simply never fire, its commands to it fail with DEVICE_NOT_FOUND).
   */
  public RuleParser anyDevice() {
    return new RuleParser(zone, id -> true);
  }

  /** The rule, or the problems with it. */
  public record Result(Rule rule, List<FieldError> errors) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  /**
   * @param tree     the rule
   * @param id       the id when it comes from elsewhere (the path of a PUT), else null: the tree's
   * @param fromFile declared in the automations file
   */
  @SuppressWarnings("unchecked")
  public Result parse(JsonNode tree, String id, boolean fromFile) {
    Fields f = new Fields();
    if (tree == null || !tree.isObject()) {
      f.error("", "a rule must be an object");
      return new Result(null, f.errors);
    }
    unknown(f, tree, TOP, "");
    String ruleId = id != null ? id : f.text(tree, "id", "", true);
    if (ruleId != null && !ID.matcher(ruleId).matches()) {
      f.error("id", "must be 1 to 64 letters, digits, '_', '.' or '-'");
    }
    String alias = f.text(tree, "alias", "", false);
    boolean enabled = f.bool(tree, "enabled", "", true);
    Rule.Mode mode = Rule.Mode.SINGLE;
    String m = f.text(tree, "mode", "", false);
    if (m != null) {
      try {
        mode = Rule.Mode.valueOf(m.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        f.error("mode", "must be single, restart, queued or parallel, not '" + m + "'");
      }
    }
    Double max = f.number(tree, "max", "");
    if (max != null && (max < 1 || max > MAX_MAX || max != Math.floor(max))) {
      f.error("max", "must be a whole number from 1 to " + MAX_MAX);
    }
    List<Trigger> triggers = new ArrayList<>();
    List<JsonNode> t = f.array(tree, "triggers", "", true);
    for (int i = 0; i < t.size(); i++) {
      Trigger trigger = trigger(f, t.get(i), "triggers[" + i + "].");
      if (trigger != null) {
        triggers.add(trigger);
      }
    }
    StepParser steps = new StepParser(f, zone, this::device);
    List<Condition> conditions = steps.conditions(f.array(tree, "conditions", "", false), "conditions");
    List<Action> actions = steps.actions(f.array(tree, "actions", "", true), "actions");
    if (!f.errors.isEmpty()) {
      return new Result(null, f.errors);
    }
    Map<String, Object> definition = JSON.convertValue(tree, Map.class);
    definition.put("id", ruleId);
    definition.remove("enabled"); // kept apart: enable/disable does not edit the definition
    return new Result(new Rule(ruleId, alias, enabled, mode, max == null ? 10 : max.intValue(), triggers,
        conditions, actions, fromFile, definition), List.of());
  }

  private Trigger trigger(Fields f, JsonNode n, String path) {
    if (!n.isObject()) {
      f.error(path.substring(0, path.length() - 1), "a trigger must be an object");
      return null;
    }
    // "trigger" as Home Assistant writes it now; "platform" as it wrote it before 2024.10
    String key = n.has("trigger") || !n.has("platform") ? "trigger" : "platform";
    String type = f.text(n, key, path, true);
    if (type == null) {
      return null;
    }
    Set<String> fields = TRIGGER_FIELDS.get(type);
    if (fields == null) {
      f.error(path + key, "must be state, numeric_state, event, time or sun, not '" + type + "'");
      return null;
    }
    Set<String> known = new java.util.HashSet<>(fields);
    known.add(key);
    known.add("id");
    unknown(f, n, known, path);
    String id = f.text(n, "id", path, false);
    return switch (type) {
      case "state" -> {
        String device = device(f, n, path);
        String property = f.text(n, "property", path, true);
        yield new Trigger.State(id, device, property, f.value(n, "from"), f.value(n, "to"),
            f.duration(n, "for", path, false));
      }
      case "numeric_state" -> {
        String device = device(f, n, path);
        String property = f.text(n, "property", path, true);
        Double above = f.number(n, "above", path);
        Double below = f.number(n, "below", path);
        if (above == null && below == null) {
          f.error(path + "above", "above or below (or both) is required");
        }
        yield new Trigger.NumericState(id, device, property, above, below, f.duration(n, "for", path, false));
      }
      case "event" -> new Trigger.Event(id, device(f, n, path), f.text(n, "event", path, true),
          f.object(n, "data", path) == null ? Map.of() : f.object(n, "data", path));
      case "time" -> new Trigger.Time(id, f.time(n, "at", path, true), f.weekdays(n, path), f.zone(n, path, zone));
      default -> {
        String event = f.text(n, "event", path, true);
        Trigger.SunEvent sun = null;
        if (event != null) {
          try {
            sun = Trigger.SunEvent.valueOf(event.toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            f.error(path + "event", "must be sunrise or sunset, not '" + event + "'");
          }
        }
        java.time.Duration offset = f.duration(n, "offset", path, true);
        yield new Trigger.Sun(id, sun, offset == null ? java.time.Duration.ZERO : offset, f.weekdays(n, path));
      }
    };
  }

  /** {@code device}: required, and a registered device. */
  String device(Fields f, JsonNode n, String path) {
    String device = f.text(n, "device", path, true);
    if (device != null && !knownDevice.test(device)) {
      f.error(path + "device", "no device '" + device + "'");
    }
    return device;
  }

  static void unknown(Fields f, JsonNode n, Set<String> known, String path) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        f.error(path + name, "unknown field (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
      }
    }
  }
}
