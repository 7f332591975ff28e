package io.hearth.gateway.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run of an automation as recorded (docs/automations.md, "Runs").
 *
 * @param runId        unique id
 * @param automationId the rule that ran
 * @param startedAt    when its trigger fired
 * @param endedAt      when it ended; null while running
 * @param status       {@code running}, {@code succeeded}, {@code failed}, {@code cancelled},
 *                     {@code interrupted} or {@code throttled}
 * @param trigger      what fired it ({@code {"type":"state","device":…}})
 * @param steps        one outcome per action reached, in order
 * @param error        why it failed or was stopped; null otherwise
 */
public record RunRecord(String runId, String automationId, Instant startedAt, Instant endedAt, String status,
    Map<String, Object> trigger, List<Map<String, Object>> steps, String error) {
  public RunRecord {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(automationId, "automationId");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(status, "status");
    trigger = trigger == null ? Map.of() : trigger;
    steps = steps == null ? List.of() : List.copyOf(steps);
  }
}
