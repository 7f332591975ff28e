package io.hearth.gateway.automation;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/**
 * What must hold when a rule triggers for it to run (docs/automations.md, "Conditions"): Home
 * Assistant's {@code state}, {@code numeric_state}, {@code time}, {@code and}, {@code or},
 * {@code not}. A rule's list of conditions must all hold.
 */
public sealed interface Condition {

  /** The property has one of these values ({@code state}: a value or a list). */
  record State(String device, String property, Object state) implements Condition {
  }

  /** The number property is in {@code above < v < below}. */
  record NumericState(String device, String property, Double above, Double below) implements Condition {
  }

  /**
   * The time of day is in {@code [after, before)} (either may be null; after later than before
   * spans midnight), on these weekdays (empty: any), in the zone.
   */
  record Time(LocalTime after, LocalTime before, Set<DayOfWeek> weekdays, ZoneId zone) implements Condition {
  }

  record And(List<Condition> conditions) implements Condition {
  }

  record Or(List<Condition> conditions) implements Condition {
  }

  /** None of them holds. */
  record Not(List<Condition> conditions) implements Condition {
  }
}
