package io.hearth.gateway.broker;

/**
 * The embedded broker could not start. The message is one line meant for the operator, e.g.
 * {@code mqtt.embedded.port 1883 is already in use}.
 */
public final class BrokerStartException extends io.hearth.gateway.lifecycle.StartException {

  private static final long serialVersionUID = 1L;

  public BrokerStartException(String message) {
    super(message);
  }

  public BrokerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
