package io.hearth.gateway.domain;

/** A code, token or credential that does not prove who the caller is (unknown, used, expired, revoked). */
public final class UnauthenticatedException extends DomainException {
  private static final long serialVersionUID = 1L;

  public UnauthenticatedException(String detail) {
    super(detail);
  }
}
