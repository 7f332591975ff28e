package io.hearth.relay.config;

/** A configuration the relay cannot start with; the message names the key and what it accepts. */
public final class RelayConfigException extends RuntimeException {
  public RelayConfigException(String message) {
    super(message);
  }
}
