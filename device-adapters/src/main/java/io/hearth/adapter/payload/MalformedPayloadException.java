package io.hearth.adapter.payload;

/**
 * An inbound MQTT payload that a convention cannot decode (not JSON, not an object, wrong types,
 * too large). The adapter logs it, counts it and drops the message; it never reaches the core.
 */
public final class MalformedPayloadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedPayloadException(String message) {
    super(message, null, false, false);
  }

  public MalformedPayloadException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
