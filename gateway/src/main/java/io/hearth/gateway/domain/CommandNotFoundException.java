package io.hearth.gateway.domain;

import java.util.Objects;

/** No such command of that device (or it was purged). */
public final class CommandNotFoundException extends DomainException {
  private static final long serialVersionUID = 1L;

  private final String commandId;

  /** The standard detail: {@code no command '<id>'}. */
  public CommandNotFoundException(String commandId) {
    this(commandId, "no command '" + commandId + "'");
  }

  public CommandNotFoundException(String commandId, String detail) {
    super(detail);
    this.commandId = Objects.requireNonNull(commandId, "commandId");
  }

  public String commandId() {
    return commandId;
  }
}
