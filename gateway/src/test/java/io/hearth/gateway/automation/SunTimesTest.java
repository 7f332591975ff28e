package io.hearth.gateway.automation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

/**
 * Sunrise and sunset against a published table: whattime.city's "Sunrise and sunset on the 1st of
 * each month in London" (https://whattime.city/london/sun, London at 51.51°N, 0.13°W, Europe/London):
 * 1 January sunrise 08:07, sunset 16:01; 1 June sunrise 04:51, sunset 21:07 (BST). Tables round to
 * the minute, and the day's times move by under a minute a year, so the check allows 2 minutes.
 */
class SunTimesTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final SunTimes SUN = new SunTimes(51.51, -0.13);
  private static final Duration TOLERANCE = Duration.ofMinutes(2);

  @Test
  void londonMatchesThePublishedTable() {
    near(LocalDate.of(2026, 1, 1), "08:07", SUN.sunrise(LocalDate.of(2026, 1, 1)).orElseThrow());
    near(LocalDate.of(2026, 1, 1), "16:01", SUN.sunset(LocalDate.of(2026, 1, 1)).orElseThrow());
    near(LocalDate.of(2026, 6, 1), "04:51", SUN.sunrise(LocalDate.of(2026, 6, 1)).orElseThrow());
    near(LocalDate.of(2026, 6, 1), "21:07", SUN.sunset(LocalDate.of(2026, 6, 1)).orElseThrow());
  }

  @Test
  void polarNightHasNoSunrise() {
    SunTimes svalbard = new SunTimes(78.22, 15.65);
    assertTrue(svalbard.sunrise(LocalDate.of(2026, 12, 21)).isEmpty());
  }

  @Test
  void sunriseRuleFiresAtTheComputedTime() {
    // GIVEN a rule 30 minutes before sunrise, in London, the evening of 31 May 2026
    Instant start = Instant.parse("2026-05-31T20:00:00Z");
    EngineFixture f = new EngineFixture(start, LONDON, SUN);
    f.arm("""
        id: blinds
        triggers: [ { trigger: sun, event: sunrise, offset: "-00:30:00" } ]
        actions: [ { notify: { message: morning } } ]
        """);
    Instant expected = SUN.sunrise(LocalDate.of(2026, 6, 1)).orElseThrow().minus(Duration.ofMinutes(30));
    near(LocalDate.of(2026, 6, 1), "04:21", expected); // 04:51 in the table, less 30 minutes
    // WHEN time passes THEN it fires at that instant, once, and again the next morning
    f.scheduler.advanceTo(expected.minusMillis(1));
    assertEquals(0, f.alerts.size());
    f.scheduler.advanceTo(expected);
    assertEquals(1, f.alerts.size());
    assertEquals(expected.toString(), f.runs.values().iterator().next().trigger().get("at"));
    f.scheduler.advance(Duration.ofDays(1));
    assertEquals(2, f.alerts.size());
  }

  private static void near(LocalDate day, String localTime, Instant actual) {
    Instant published = ZonedDateTime.of(day, LocalTime.parse(localTime), LONDON).toInstant();
    Duration off = Duration.between(published, actual).abs();
    assertTrue(off.compareTo(TOLERANCE) <= 0, "expected " + localTime + " on " + day + ", computed "
        + actual.atZone(LONDON).toLocalTime() + " (" + off.toSeconds() + " s off)");
  }

}
