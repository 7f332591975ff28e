package io.hearth.gateway.lifecycle;

/**
 * A valid configuration that could not be put to work: a port in use, an address that cannot be
 * bound, a broker that did not come up. {@code Main} exits 3 on it (docs/operations.md, exit
 * codes); a configuration that is wrong in itself is a {@link io.hearth.gateway.config.ConfigException}
 * (exit 1). The message is one line naming the key and the fix.
 */
public class StartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StartException(String message) {
    super(message);
  }

  public StartException(String message, Throwable cause) {
    super(message, cause);
  }

  /** "{@code key} {@code port} on {@code host} cannot be used: why (the fix)". */
  public static StartException portUnusable(String key, int port, String host, String why) {
    return new StartException(key + " " + port + " on " + host + " cannot be used: " + why
        + " (stop what holds it, or set " + key + " to another port; 0 picks a free one)");
  }
}
