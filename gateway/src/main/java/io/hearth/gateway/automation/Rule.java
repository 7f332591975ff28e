package io.hearth.gateway.automation;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An automation (docs/automations.md): triggers, conditions, actions and a mode, as parsed by
 * {@link RuleParser}.
 *
 * @param id          unique id ({@code [A-Za-z0-9_.-]}, up to 64)
 * @param alias       a name for people, or null
 * @param enabled     whether its triggers are armed
 * @param mode        what a trigger does while a run is under way
 * @param max         {@code queued}/{@code parallel}: runs at most running plus queued / at once
 * @param fromFile    declared in the automations file (read-only over the API)
 * @param definition  the rule as given (JSON tree as maps), shown by the API and stored
 */
public record Rule(String id, String alias, boolean enabled, Mode mode, int max, List<Trigger> triggers,
    List<Condition> conditions, List<Action> actions, boolean fromFile, Map<String, Object> definition) {

  public Rule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(mode, "mode");
    triggers = List.copyOf(triggers);
    conditions = List.copyOf(conditions);
    actions = List.copyOf(actions);
    definition = definition == null ? Map.of() : definition;
  }

  /** Home Assistant's script modes. */
  public enum Mode {
    SINGLE, RESTART, QUEUED, PARALLEL;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Rule withEnabled(boolean on) {
    return new Rule(id, alias, on, mode, max, triggers, conditions, actions, fromFile, definition);
  }
}
