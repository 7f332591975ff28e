package io.hearth.gateway.store;

import java.util.Locale;

/**
 * The life of a command: pending → sent → succeeded | failed | timed_out, or pending → superseded
 * (a queued {@code set} replaced by a newer one before it was sent; docs/api.md#pipelining-and-coalescing).
 */
public enum CommandStatus {
  PENDING, SENT, SUCCEEDED, FAILED, TIMED_OUT, SUPERSEDED;

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == TIMED_OUT || this == SUPERSEDED;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CommandStatus fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
