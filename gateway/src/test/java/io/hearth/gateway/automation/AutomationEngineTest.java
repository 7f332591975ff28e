package io.hearth.gateway.automation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.command.CommandResult;
import io.hearth.gateway.store.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's triggers, conditions, actions and modes on a hand-driven clock: no test sleeps. */
class AutomationEngineTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z"); // a Monday

  private static final String OPEN_FIVE_MINUTES = """
      id: door-open-alert
      triggers:
        - trigger: state
          device: door
          property: contact
          to: false
          for: "00:05:00"
      actions:
        - notify: { title: Door, message: "the door has been open for 5 minutes" }
      """;

  @Test
  void staysOpenForFiveMinutesFiresOnceAtFiveMinutes() {
    EngineFixture f = new EngineFixture(T0);
    f.report("door", Map.of("contact", true));
    f.arm(OPEN_FIVE_MINUTES);
    // WHEN the door opens and stays open
    f.report("door", Map.of("contact", false));
    f.scheduler.advance(Duration.ofMinutes(5).minusMillis(1));
    assertEquals(0, f.alerts.size(), "not before 5:00");
    f.scheduler.advance(Duration.ofMillis(1));
    // THEN one alert at exactly 5:00
    assertEquals(1, f.alerts.size());
    assertEquals(T0.plus(Duration.ofMinutes(5)), f.scheduler.now());
    RunRecord run = f.runs("succeeded").get(0);
    assertEquals(T0.plus(Duration.ofMinutes(5)), run.startedAt());
    assertEquals("state", run.trigger().get("type"));
    assertEquals(false, run.trigger().get("to"));
    // and never again while it stays open
    f.scheduler.advance(Duration.ofHours(1));
    assertEquals(1, f.alerts.size());
  }

  @Test
  void closedAtFourFiftyNineDoesNotFire() {
    EngineFixture f = new EngineFixture(T0);
    f.report("door", Map.of("contact", true));
    f.arm(OPEN_FIVE_MINUTES);
    f.report("door", Map.of("contact", false));
    f.scheduler.advance(Duration.ofSeconds(4 * 60 + 59));
    f.report("door", Map.of("contact", true)); // closed at 4:59
    f.scheduler.advance(Duration.ofMinutes(10));
    assertEquals(0, f.alerts.size());
    assertEquals(0, f.runs.size());
    assertEquals(0, f.scheduler.pending(), "the 5-minute timer was cancelled");
    // opened again: a new 5 minutes from then
    f.report("door", Map.of("contact", false));
    f.scheduler.advance(Duration.ofMinutes(5));
    assertEquals(1, f.alerts.size());
  }

  private static String delayed(String mode) {
    return """
        id: hall
        mode: %s
        triggers:
          - { trigger: state, device: motion, property: occupancy, to: true }
        actions:
          - command: { device: lamp, set: { power: true } }
          - delay: 2m
          - command: { device: lamp, set: { power: false } }
        """.formatted(mode);
  }

  @Test
  void restartCancelsTheRunUnderWayAndStartsOver() {
    EngineFixture f = new EngineFixture(T0);
    f.arm(delayed("restart"));
    f.report("motion", Map.of("occupancy", true));
    f.scheduler.advance(Duration.ofMinutes(1));
    f.report("motion", Map.of("occupancy", false));
    f.report("motion", Map.of("occupancy", true)); // motion again at 1:00: the 2-minute delay starts over
    f.scheduler.advance(Duration.ofMinutes(1).plusSeconds(59));
    assertEquals(List.of("lamp {power=true}", "lamp {power=true}"), f.commands, "still on at 2:59");
    f.scheduler.advance(Duration.ofSeconds(1));
    assertEquals(List.of("lamp {power=true}", "lamp {power=true}", "lamp {power=false}"), f.commands);
    assertEquals(1, f.runs("cancelled").size());
    assertEquals("restarted by a new trigger", f.runs("cancelled").get(0).error());
    assertEquals(1, f.runs("succeeded").size());
  }

  @Test
  void queuedRunsOneAfterTheOther() {
    EngineFixture f = new EngineFixture(T0);
    f.arm(delayed("queued"));
    f.report("motion", Map.of("occupancy", true));
    f.scheduler.advance(Duration.ofMinutes(1));
    f.report("motion", Map.of("occupancy", false));
    f.report("motion", Map.of("occupancy", true)); // queued behind the first run
    assertEquals(List.of("lamp {power=true}"), f.commands, "the second waits");
    f.scheduler.advance(Duration.ofMinutes(1)); // 2:00: first run ends, second starts
    assertEquals(List.of("lamp {power=true}", "lamp {power=false}", "lamp {power=true}"), f.commands);
    f.scheduler.advance(Duration.ofMinutes(2)); // 4:00: second run ends
    assertEquals(4, f.commands.size());
    assertEquals(2, f.runs("succeeded").size());
    assertEquals(0, f.runs("cancelled").size());
  }

  @Test
  void singleDropsATriggerWhileRunningAndParallelRunsUpToMax() {
    EngineFixture f = new EngineFixture(T0);
    f.arm(delayed("single"));
    f.report("motion", Map.of("occupancy", true));
    f.report("motion", Map.of("occupancy", false));
    f.report("motion", Map.of("occupancy", true));
    assertEquals(1, f.commands.size());
    assertEquals(1L, f.engine.stats("hall").orElseThrow().get("dropped"));

    EngineFixture p = new EngineFixture(T0);
    p.arm(delayed("parallel\nmax: 2"));
    for (int i = 0; i < 3; i++) {
      p.report("motion", Map.of("occupancy", true));
      p.report("motion", Map.of("occupancy", false));
    }
    assertEquals(2, p.commands.size(), "two at once, the third dropped");
  }

  @Test
  void numericStateFiresWhenCrossingNotWhileAbove() {
    EngineFixture f = new EngineFixture(T0);
    f.report("thermo", Map.of("temperature", 20.0));
    f.arm("""
        id: hot
        triggers: [ { trigger: numeric_state, device: thermo, property: temperature, above: 25 } ]
        actions: [ { notify: { message: hot } } ]
        """);
    f.report("thermo", Map.of("temperature", 24.9));
    f.report("thermo", Map.of("temperature", 26));
    f.report("thermo", Map.of("temperature", 27));
    assertEquals(1, f.alerts.size());
    f.report("thermo", Map.of("temperature", 22));
    f.report("thermo", Map.of("temperature", 25.5));
    assertEquals(2, f.alerts.size());
  }

  @Test
  void buttonEventWithConditionsAndCommandFailure() {
    EngineFixture f = new EngineFixture(T0);
    f.states.put("lamp", new java.util.HashMap<>(Map.of("power", false)));
    f.arm("""
        id: button
        triggers: [ { trigger: event, device: button, event: pressed } ]
        conditions:
          - condition: or
            conditions:
              - { condition: state, device: lamp, property: power, state: false }
              - { condition: time, after: "22:00", before: "06:00" }
        actions:
          - command: { device: lamp, set: { power: true } }
          - scene: evening
          - notify: { message: never reached }
        """);
    f.event("button", "pressed");
    RunRecord run = f.runs("failed").get(0);
    assertEquals(2, run.steps().size());
    assertEquals("succeeded", run.steps().get(0).get("status"));
    assertEquals("c1", run.steps().get(0).get("commandId"));
    assertEquals("SCENE_NOT_FOUND", run.steps().get(1).get("code"));
    assertTrue(f.alerts.isEmpty());
    // the lamp is on and it is 10:00: the condition fails, nothing runs
    f.states.get("lamp").put("power", true);
    f.event("button", "pressed");
    assertEquals(1, f.runs.size());
    assertEquals(1L, f.engine.stats("button").orElseThrow().get("conditionsFailed"));
  }

  @Test
  void waitForStateGoesOnWhenItComesAndFailsOnTimeout() {
    EngineFixture f = new EngineFixture(T0);
    f.arm("""
        id: wait
        mode: parallel
        triggers: [ { trigger: event, device: button, event: pressed } ]
        actions:
          - wait: { device: door, property: contact, state: true, timeout: 30s, continueOnTimeout: false }
          - notify: { message: closed }
        """);
    f.event("button", "pressed");
    f.scheduler.advance(Duration.ofSeconds(10));
    f.report("door", Map.of("contact", true));
    assertEquals(1, f.alerts.size());
    f.report("door", Map.of("contact", false));
    f.event("button", "pressed");
    f.scheduler.advance(Duration.ofSeconds(30));
    RunRecord failed = f.runs("failed").get(0);
    assertEquals("timed_out", failed.steps().get(0).get("status"));
    assertEquals(1, f.alerts.size());
  }

  @Test
  void aLoopIsCutByTheRateCapWithOneThrottledRecord() {
    EngineFixture f = new EngineFixture(T0); // maxRunsPerMinute 30
    f.arm("""
        id: loop
        mode: parallel
        triggers: [ { trigger: state, device: lamp, property: power } ]
        actions: [ { command: { device: lamp, set: { power: true } } } ]
        """);
    for (int i = 0; i < 100; i++) {
      f.report("lamp", Map.of("power", i % 2 == 0));
    }
    assertEquals(30, f.commands.size());
    assertEquals(1, f.runs("throttled").size());
    assertEquals(70L, f.engine.stats("loop").orElseThrow().get("throttled"));
    f.scheduler.advance(Duration.ofMinutes(1)); // a new minute
    f.report("lamp", Map.of("power", true));
    assertEquals(31, f.commands.size());
  }

  @Test
  void timeTriggerOnWeekdaysInItsZone() {
    EngineFixture f = new EngineFixture(T0); // Monday 10:00 UTC = 11:00 in Berlin
    f.arm("""
        id: morning
        triggers: [ { trigger: time, at: "07:30", weekdays: [sat, sun], timeZone: Europe/Berlin } ]
        actions: [ { notify: { message: weekend } } ]
        """);
    f.scheduler.advance(Duration.ofDays(4)); // to Friday
    assertEquals(0, f.alerts.size());
    f.scheduler.advanceTo(Instant.parse("2026-03-07T06:30:00Z").minusMillis(1));
    assertEquals(0, f.alerts.size());
    f.scheduler.advance(Duration.ofMillis(1)); // Saturday 07:30 CET
    assertEquals(1, f.alerts.size());
    f.scheduler.advanceTo(Instant.parse("2026-03-09T00:00:00Z"));
    assertEquals(2, f.alerts.size(), "Saturday and Sunday");
  }

  @Test
  void disarmingCancelsTimersAndRuns() {
    EngineFixture f = new EngineFixture(T0);
    f.answerAtOnce = false;
    f.arm(delayed("single"));
    f.report("motion", Map.of("occupancy", true));
    f.engine.disarm("hall", "disabled");
    f.open.get(0).complete(new CommandResult.Succeeded("c1", "lamp", null, null));
    f.scheduler.advance(Duration.ofMinutes(5));
    assertEquals(1, f.commands.size());
    assertEquals("cancelled", f.runs.values().iterator().next().status());
    f.engine.stop();
  }
}
