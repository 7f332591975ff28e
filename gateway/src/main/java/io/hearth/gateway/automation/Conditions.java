package io.hearth.gateway.automation;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Evaluates a rule's conditions against the devices' current state and the time (docs/automations.md). */
final class Conditions {
  private Conditions() {
  }

  /** Whether every condition holds. */
  static boolean all(List<Condition> conditions, Function<String, Map<String, Object>> states, Instant now) {
    for (Condition c : conditions) {
      if (!holds(c, states, now)) {
        return false;
      }
    }
    return true;
  }

  static boolean holds(Condition c, Function<String, Map<String, Object>> states, Instant now) {
    if (c instanceof Condition.State s) {
      return Values.matches(s.state(), value(states, s.device(), s.property()));
    } else if (c instanceof Condition.NumericState s) {
      return Values.inRange(value(states, s.device(), s.property()), s.above(), s.below());
    } else if (c instanceof Condition.Time t) {
      return time(t, now);
    } else if (c instanceof Condition.And a) {
      return all(a.conditions(), states, now);
    } else if (c instanceof Condition.Or o) {
      return o.conditions().stream().anyMatch(x -> holds(x, states, now));
    }
    return ((Condition.Not) c).conditions().stream().noneMatch(x -> holds(x, states, now));
  }

  static Object value(Function<String, Map<String, Object>> states, String device, String property) {
    Map<String, Object> state = states.apply(device);
    return state == null ? null : state.get(property);
  }

  private static boolean time(Condition.Time t, Instant now) {
    ZonedDateTime local = now.atZone(t.zone());
    if (!t.weekdays().isEmpty() && !t.weekdays().contains(local.getDayOfWeek())) {
      return false;
    }
    LocalTime at = local.toLocalTime();
    LocalTime after = t.after();
    LocalTime before = t.before();
    if (after != null && before != null && after.isAfter(before)) { // spans midnight
      return !at.isBefore(after) || at.isBefore(before);
    }
    return (after == null || !at.isBefore(after)) && (before == null || at.isBefore(before));
  }
}
