package io.hearth.gateway.domain;

/**
 * A refusal by the gateway's domain, meant for the client that asked: its message is the human
 * detail shown to it. Carries no stack trace (it is an answer, not a bug). The edges convert each
 * subclass to their error code once (see the package documentation).
 */
public abstract sealed class DomainException extends RuntimeException
    permits DeviceNotFoundException, CommandNotFoundException, ValidationException, DeviceOfflineException,
    UnavailableException, UnauthenticatedException, TooManyWaitingException, RateLimitedException {
  private static final long serialVersionUID = 1L;

  DomainException(String detail) {
    super(detail, null, false, false);
  }
}
