package io.hearth.gateway.automation;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;

/**
 * What starts a rule (docs/automations.md, "Triggers"); the shapes follow Home Assistant's
 * {@code state}, {@code numeric_state}, {@code event}, {@code time} and {@code sun} triggers.
 * {@code id} is the trigger's optional name, recorded with the run.
 */
public sealed interface Trigger {

  String id();

  /** The device this trigger watches, or null for a time trigger. */
  default String device() {
    return null;
  }

  /**
   * A property changes; {@code from}/{@code to} (a value or a list of values, null: any) filter the
   * change; with {@code stay} it fires once the property has kept a matching value that long.
   */
  record State(String id, String device, String property, Object from, Object to, Duration stay)
      implements Trigger {
  }

  /**
   * A number property enters the range {@code above < v < below} (either bound may be null) from
   * outside it; with {@code stay}, once it has stayed in the range that long.
   */
  record NumericState(String id, String device, String property, Double above, Double below, Duration stay)
      implements Trigger {
  }

  /** A device event (a button press) of that name; {@code data}: fields its data must carry, or empty. */
  record Event(String id, String device, String event, Map<String, Object> data) implements Trigger {
  }

  /** A time of day in a time zone, on some weekdays (empty: every day). */
  record Time(String id, LocalTime at, Set<DayOfWeek> weekdays, ZoneId zone) implements Trigger {
  }

  /** Sunrise or sunset at the configured location, moved by {@code offset} (may be negative). */
  record Sun(String id, SunEvent event, Duration offset, Set<DayOfWeek> weekdays) implements Trigger {
  }

  enum SunEvent { SUNRISE, SUNSET }
}
