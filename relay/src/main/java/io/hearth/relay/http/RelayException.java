package io.hearth.relay.http;

import java.util.Objects;

/** A failure with its {@link RelayError}; turned into a problem once, by {@link Problems}. */
public final class RelayException extends RuntimeException {
  private final RelayError error;
  private final Integer retryAfterSeconds;

  public RelayException(RelayError error, String detail) {
    this(error, detail, null);
  }

  public RelayException(RelayError error, String detail, Integer retryAfterSeconds) {
    super(detail, null, false, false);
    this.error = Objects.requireNonNull(error);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public RelayError error() {
    return error;
  }

  /** Seconds for {@code Retry-After}, or null. */
  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
