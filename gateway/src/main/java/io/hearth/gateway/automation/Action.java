package io.hearth.gateway.automation;

import java.time.Duration;
import java.util.Map;

/**
 * One step of a rule (docs/automations.md, "Actions"). A step that fails ends the run as
 * {@code failed} unless it has {@code continueOnError}.
 */
public sealed interface Action {

  boolean continueOnError();

  /** The step's type as recorded ({@code command}, {@code scene}, ...). */
  String type();

  /** A command through the command service: {@code set} properties or an {@code action} with {@code input}. */
  record Command(String device, Map<String, Object> set, String action, Map<String, Object> input,
      boolean continueOnError) implements Action {
    @Override
    public String type() {
      return "command";
    }
  }

  record Scene(String scene, boolean continueOnError) implements Action {
    @Override
    public String type() {
      return "scene";
    }
  }

  record Delay(Duration duration, boolean continueOnError) implements Action {
    @Override
    public String type() {
      return "delay";
    }
  }

  /**
   * Waits until the property has one of the values ({@code state}), at most {@code timeout}; then
   * goes on ({@code continueOnTimeout}, Home Assistant's default) or ends the run as failed.
   */
  record Wait(String device, String property, Object state, Duration timeout, boolean continueOnTimeout,
      boolean continueOnError) implements Action {
    @Override
    public String type() {
      return "wait";
    }
  }

  /** An {@code alert} event on the app WebSocket (docs/websocket.md). */
  record Notify(String title, String message, boolean continueOnError) implements Action {
    @Override
    public String type() {
      return "notify";
    }
  }
}
