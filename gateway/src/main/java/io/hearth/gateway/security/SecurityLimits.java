package io.hearth.gateway.security;

import io.hearth.gateway.config.GatewayConfig;
import java.util.Objects;

/**
 * The rate limits of the app API (documented in {@code docs/security.md}).
 *
 * @param pairingPerAddress {@code POST /auth/pair} per remote address
 * @param pairingOverall    {@code POST /auth/pair} for every address together (a guess farm)
 * @param refreshPerAddress {@code POST /auth/refresh} per remote address
 * @param commands          commands per session (REST {@code POST …/commands} and WebSocket
 *                          {@code command} together)
 */
public record SecurityLimits(RateLimiter pairingPerAddress, RateLimiter pairingOverall,
    RateLimiter refreshPerAddress, RateLimiter commands) {

  /** Buckets kept per limiter at most. */
  public static final int MAX_KEYS = 10_000;

  public SecurityLimits {
    Objects.requireNonNull(pairingPerAddress, "pairingPerAddress");
    Objects.requireNonNull(pairingOverall, "pairingOverall");
    Objects.requireNonNull(refreshPerAddress, "refreshPerAddress");
    Objects.requireNonNull(commands, "commands");
  }

  /**
   * The {@link #defaults()}, with the per-session command limit the configuration gives
   * ({@code commands.sessionRatePerSecond}, {@code commands.sessionBurst}).
   */
  public static SecurityLimits of(GatewayConfig.CommandFlow flow) {
    SecurityLimits d = defaults();
    return new SecurityLimits(d.pairingPerAddress(), d.pairingOverall(), d.refreshPerAddress(),
        new RateLimiter(flow.sessionRatePerSecond(), flow.sessionBurst(), MAX_KEYS, System::nanoTime));
  }

  /**
   * Pairing: 5 attempts at once, then 1 every 12 s per address, and 30 a minute overall (burst 10);
   * refresh: 10 at once, then 1 a second per address; commands: 40 at once, then 20 a second per
   * session.
   */
  public static SecurityLimits defaults() {
    return new SecurityLimits(
        new RateLimiter(1 / 12.0, 5, MAX_KEYS, System::nanoTime),
        new RateLimiter(0.5, 10, 1, System::nanoTime),
        new RateLimiter(1, 10, MAX_KEYS, System::nanoTime),
        new RateLimiter(20, 40, MAX_KEYS, System::nanoTime));
  }
}
