package io.hearth.gateway.automation;

import java.util.Objects;

/** A request about an automation that cannot be done, in the domain's terms (the API maps {@link #reason}). */
public final class AutomationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public enum Reason {
    /** No automation with that id. */
    NOT_FOUND,
    /** An automation with that id exists already. */
    EXISTS,
    /** Declared in the automations file: change it there. */
    READ_ONLY,
    /** The rule is disabled, or its mode or rate cap dropped the trigger. */
    NOT_STARTED
  }

  private final Reason reason;

  public AutomationException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
