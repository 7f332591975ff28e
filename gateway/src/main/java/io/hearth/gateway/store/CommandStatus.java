package io.hearth.gateway.store;

import java.util.Locale;

/** The life of a command: pending → sent → succeeded | failed | timed_out. */
public enum CommandStatus {
  PENDING, SENT, SUCCEEDED, FAILED, TIMED_OUT;

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == TIMED_OUT;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CommandStatus fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
