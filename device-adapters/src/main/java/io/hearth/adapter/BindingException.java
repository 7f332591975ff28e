package io.hearth.adapter;

import java.util.Objects;

/** A binding that cannot be accepted; {@link #key()} names the offending binding key. */
public final class BindingException extends RuntimeException {
  private final String key;

  /**
   * @param key     the key under {@code binding}, e.g. {@code credentials.username}; empty for the
   *                binding as a whole
   * @param message one line saying what is wrong or allowed
   */
  public BindingException(String key, String message) {
    super(message);
    this.key = Objects.requireNonNull(key, "key");
  }

  public String key() {
    return key;
  }
}
