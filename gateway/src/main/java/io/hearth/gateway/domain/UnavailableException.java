package io.hearth.gateway.domain;

/** The gateway cannot take this now: it is shutting down, or a capacity limit is reached. */
public final class UnavailableException extends DomainException {
  private static final long serialVersionUID = 1L;

  public UnavailableException(String detail) {
    super(detail);
  }
}
