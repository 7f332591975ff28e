package io.hearth.gateway.automation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/** When a time or sun trigger fires next, strictly after a given instant. */
final class TimeTriggers {
  /** How many days ahead a sun trigger is looked for (polar night lasts months). */
  private static final int SEARCH_DAYS = 370;

  private TimeTriggers() {
  }

  static Optional<Instant> next(Trigger.Time t, Instant after) {
    ZonedDateTime now = after.atZone(t.zone());
    LocalDate day = now.toLocalDate();
    for (int i = 0; i < 8; i++, day = day.plusDays(1)) {
      // a time skipped by a daylight-saving jump fires at the moment after the gap (ZonedDateTime.of)
      ZonedDateTime at = ZonedDateTime.of(day, t.at(), t.zone());
      if (at.toInstant().isAfter(after) && (t.weekdays().isEmpty() || t.weekdays().contains(day.getDayOfWeek()))) {
        return Optional.of(at.toInstant());
      }
    }
    return Optional.empty();
  }

  static Optional<Instant> next(Trigger.Sun t, Instant after, SunTimes sun, ZoneId zone) {
    LocalDate day = after.atZone(zone).toLocalDate().minusDays(1);
    for (int i = 0; i < SEARCH_DAYS; i++, day = day.plusDays(1)) {
      Optional<Instant> event = t.event() == Trigger.SunEvent.SUNRISE ? sun.sunrise(day) : sun.sunset(day);
      if (event.isEmpty()) {
        continue;
      }
      Instant at = event.get().plus(t.offset());
      if (at.isAfter(after) && (t.weekdays().isEmpty() || t.weekdays().contains(at.atZone(zone).getDayOfWeek()))) {
        return Optional.of(at);
      }
    }
    return Optional.empty();
  }
}
