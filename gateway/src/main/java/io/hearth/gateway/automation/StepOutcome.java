package io.hearth.gateway.automation;

import io.hearth.gateway.command.CommandResult;
import io.hearth.gateway.domain.DeviceNotFoundException;
import io.hearth.gateway.domain.DeviceOfflineException;
import io.hearth.gateway.domain.RateLimitedException;
import io.hearth.gateway.domain.TooManyWaitingException;
import io.hearth.gateway.domain.UnavailableException;
import io.hearth.gateway.domain.ValidationException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one step of a run ended, as recorded (docs/automations.md, "Runs").
 *
 * @param status  {@code succeeded}, {@code failed}, {@code timed_out}, {@code unknown}, {@code superseded}, ...
 * @param code    why it failed ({@code DEVICE_OFFLINE}, {@code SCENE_NOT_FOUND}, a command's failure
 *                reason), or null
 * @param detail  for a human, or null
 * @param extra   more to record ({@code commandId}, a scene's answer)
 * @param failure whether it counts as a failure (ends the run unless {@code continueOnError})
 */
record StepOutcome(String status, String code, String detail, Map<String, Object> extra, boolean failure) {

  static StepOutcome ok(String status, Map<String, Object> extra) {
    return new StepOutcome(status, null, null, extra, false);
  }

  static StepOutcome failed(String status, String code, String detail) {
    return new StepOutcome(status, code, detail, Map.of(), true);
  }

  /** A command's result: success, or its status and failure reason. */
  static StepOutcome of(CommandResult r) {
    Map<String, Object> extra = Map.of("commandId", r.commandId());
    if (r instanceof CommandResult.Failed f) {
      return new StepOutcome(f.status().wireName(), f.reason().name(), f.detail(), extra, true);
    }
    return ok(r.status().wireName(), extra); // succeeded, superseded (a newer set carries it), pending
  }

  /** A command refused before it was accepted. */
  static StepOutcome refused(Throwable e) {
    String code = e instanceof DeviceNotFoundException ? "DEVICE_NOT_FOUND"
        : e instanceof DeviceOfflineException ? "DEVICE_OFFLINE"
        : e instanceof ValidationException ? "VALIDATION_FAILED"
        : e instanceof RateLimitedException ? "RATE_LIMITED"
        : e instanceof TooManyWaitingException ? "TOO_MANY_WAITING"
        : e instanceof UnavailableException ? "UNAVAILABLE"
        : e instanceof SceneActivator.SceneNotFoundException ? "SCENE_NOT_FOUND"
        : e instanceof SceneActivator.SceneFailedException ? "SCENE_FAILED" : "FAILED";
    return failed("failed", code, String.valueOf(e.getMessage()));
  }

  Map<String, Object> json(int index, String type, java.time.Instant started, java.time.Instant ended) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", index);
    m.put("type", type);
    m.put("status", status);
    if (code != null) {
      m.put("code", code);
    }
    if (detail != null) {
      m.put("detail", detail);
    }
    m.putAll(extra);
    m.put("startedAt", started.toString());
    m.put("endedAt", ended.toString());
    return m;
  }
}
