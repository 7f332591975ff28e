package io.hearth.gateway.automation;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the conditions and actions of a rule for {@link RuleParser}. */
final class StepParser {
  /** How deep {@code and}/{@code or}/{@code not} may nest. */
  static final int MAX_NESTING = 8;
  private static final List<String> ACTION_KEYS = List.of("command", "scene", "delay", "wait", "notify");

  private final Fields f;
  private final ZoneId zone;
  private final DeviceField device;

  interface DeviceField {
    String read(Fields f, JsonNode n, String path);
  }

  StepParser(Fields f, ZoneId zone, DeviceField device) {
    this.f = f;
    this.zone = zone;
    this.device = device;
  }

  List<Condition> conditions(List<JsonNode> items, String path) {
    return conditions(items, path, 0);
  }

  private List<Condition> conditions(List<JsonNode> items, String path, int depth) {
    List<Condition> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Condition c = condition(items.get(i), path + "[" + i + "].", depth);
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  private Condition condition(JsonNode n, String path, int depth) {
    if (!n.isObject()) {
      f.error(path.substring(0, path.length() - 1), "a condition must be an object");
      return null;
    }
    String type = f.text(n, "condition", path, true);
    if (type == null) {
      return null;
    }
    switch (type) {
      case "state" -> {
        RuleParser.unknown(f, n, Set.of("condition", "device", "property", "state"), path);
        String d = device.read(f, n, path);
        String p = f.text(n, "property", path, true);
        Object state = f.value(n, "state");
        if (state == null) {
          f.error(path + "state", "is required (a value or a list of values)");
        }
        return new Condition.State(d, p, state);
      }
      case "numeric_state" -> {
        RuleParser.unknown(f, n, Set.of("condition", "device", "property", "above", "below"), path);
        String d = device.read(f, n, path);
        String p = f.text(n, "property", path, true);
        Double above = f.number(n, "above", path);
        Double below = f.number(n, "below", path);
        if (above == null && below == null) {
          f.error(path + "above", "above or below (or both) is required");
        }
        return new Condition.NumericState(d, p, above, below);
      }
      case "time" -> {
        RuleParser.unknown(f, n, Set.of("condition", "after", "before", "weekdays", "weekday", "timeZone"), path);
        return new Condition.Time(f.time(n, "after", path, false), f.time(n, "before", path, false),
            f.weekdays(n, path), f.zone(n, path, zone));
      }
      case "and", "or", "not" -> {
        RuleParser.unknown(f, n, Set.of("condition", "conditions"), path);
        if (depth >= MAX_NESTING) {
          f.error(path + "conditions", "nested more than " + MAX_NESTING + " deep");
          return null;
        }
        List<Condition> inner = conditions(f.array(n, "conditions", path, true), path + "conditions", depth + 1);
        return type.equals("and") ? new Condition.And(inner)
            : type.equals("or") ? new Condition.Or(inner) : new Condition.Not(inner);
      }
      default -> {
        f.error(path + "condition", "must be state, numeric_state, time, and, or or not, not '" + type + "'");
        return null;
      }
    }
  }

  List<Action> actions(List<JsonNode> items, String path) {
    List<Action> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Action a = action(items.get(i), path + "[" + i + "]");
      if (a != null) {
        out.add(a);
      }
    }
    return out;
  }

  private Action action(JsonNode n, String at) {
    String key = n.isObject() ? ACTION_KEYS.stream().filter(n::has).findFirst().orElse(null) : null;
    if (key == null) {
      f.error(at, "an action is an object with one of " + String.join(", ", ACTION_KEYS));
      return null;
    }
    String path = at + ".";
    RuleParser.unknown(f, n, Set.of(key, "continueOnError", "alias"), path);
    boolean continueOnError = f.bool(n, "continueOnError", path, false);
    JsonNode v = n.get(key);
    String inner = path + key + ".";
    switch (key) {
      case "delay" -> {
        Duration d = f.duration(n, "delay", path, false);
        return d == null ? null : new Action.Delay(d, continueOnError);
      }
      case "scene" -> {
        String scene = f.text(n, "scene", path, true);
        return scene == null ? null : new Action.Scene(scene, continueOnError);
      }
      default -> {
        // command, wait, notify: an object
      }
    }
    if (!v.isObject()) {
      f.error(path + key, "must be an object");
      return null;
    }
    return switch (key) {
      case "command" -> {
        RuleParser.unknown(f, v, Set.of("device", "set", "action", "input"), inner);
        String d = device.read(f, v, inner);
        Map<String, Object> set = f.object(v, "set", inner);
        String action = f.text(v, "action", inner, false);
        if ((set == null || set.isEmpty()) == (action == null)) {
          f.error(inner + "set", "give either set (properties to change) or action, not both or neither");
        }
        yield new Action.Command(d, set, action, f.object(v, "input", inner), continueOnError);
      }
      case "wait" -> {
        RuleParser.unknown(f, v, Set.of("device", "property", "state", "timeout", "continueOnTimeout"), inner);
        String d = device.read(f, v, inner);
        String p = f.text(v, "property", inner, true);
        Object state = f.value(v, "state");
        if (state == null) {
          f.error(inner + "state", "is required (a value or a list of values)");
        }
        Duration timeout = f.duration(v, "timeout", inner, false);
        yield new Action.Wait(d, p, state, timeout, f.bool(v, "continueOnTimeout", inner, true), continueOnError);
      }
      default -> {
        RuleParser.unknown(f, v, Set.of("title", "message"), inner);
        yield new Action.Notify(f.text(v, "title", inner, false), f.text(v, "message", inner, true), continueOnError);
      }
    };
  }
}
