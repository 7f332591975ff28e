package io.hearth.gateway.domain;

/**
 * A new command was refused: the session's command budget is spent (docs/security.md, "Rate
 * limits"). Nothing was recorded or sent. A replay of an idempotency key is never refused this
 * way: it creates nothing, so it spends nothing.
 */
public final class RateLimitedException extends DomainException {
  private static final long serialVersionUID = 1L;

  private final long retryAfterSeconds;

  public RateLimitedException(long retryAfterSeconds) {
    super("too many commands from this session; retry after " + retryAfterSeconds + " s");
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Whole seconds until the budget has room again (≥ 1). */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
