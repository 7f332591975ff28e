package io.hearth.gateway.store;

import java.util.Locale;

/**
 * The life of a command: pending → sent → succeeded | failed | timed_out | unknown, or pending →
 * superseded. {@code unknown}: the gateway stopped or crashed after the command may have reached the
 * device, so whether it was executed is not known; the device's next report or reply may still
 * settle it (docs/api.md#command-statuses-and-failure-reasons). {@code superseded}: a queued
 * {@code set} replaced by a newer one before it was sent (docs/api.md#pipelining-and-coalescing).
 */
public enum CommandStatus {
  PENDING, SENT, SUCCEEDED, FAILED, TIMED_OUT, UNKNOWN, SUPERSEDED;

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == TIMED_OUT || this == UNKNOWN || this == SUPERSEDED;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CommandStatus fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
