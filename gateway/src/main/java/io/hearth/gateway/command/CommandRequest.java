package io.hearth.gateway.command;

import java.util.Map;

/**
 * A command as the app asked for it (REST body or WebSocket message), before validation against
 * the profile.
 *
 * @param set       properties to change, or empty
 * @param action    action name, or null
 * @param input     action input, or empty
 * @param timeoutMs how long to wait for confirmation, or null for the default
 * @param waitForOutcome {@code wait}: answer once the command ends (true) or at once (false)
 * @param deliverWhen {@code now} (null: the default) or {@code nextWake}: when the device is asleep
 *                  or offline, wait for its next message instead of refusing (docs/api.md#commands)
 * @param expiresInMs with {@code nextWake}: how long it may wait, or null for the default
 */
public record CommandRequest(
    Map<String, Object> set, String action, Map<String, Object> input, Integer timeoutMs, boolean waitForOutcome,
    String deliverWhen, Integer expiresInMs) {
  public CommandRequest {
    set = set == null ? Map.of() : set;
    input = input == null ? Map.of() : input;
  }

  /** Delivered now (no {@code deliverWhen}). */
  public CommandRequest(
      Map<String, Object> set, String action, Map<String, Object> input, Integer timeoutMs, boolean waitForOutcome) {
    this(set, action, input, timeoutMs, waitForOutcome, null, null);
  }
}
