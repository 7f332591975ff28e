package io.hearth.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.config.GatewayConfig;
import org.junit.jupiter.api.Test;

/** Tier 1: the per-session command limit comes from {@code commands.sessionRatePerSecond/sessionBurst}. */
class SecurityLimitsTest {

  @Test
  void theCommandBudgetIsTheConfiguredOne() {
    // GIVEN a configured burst of 3 at 1 a second
    RateLimiter commands = SecurityLimits.of(new GatewayConfig.CommandFlow(4, 1, 3)).commands();
    // WHEN one session spends it
    for (int i = 0; i < 3; i++) {
      assertEquals(0, commands.acquire("session-a"), "command " + (i + 1) + " of the burst");
    }
    // THEN the next waits (whole seconds), and another session has its own budget
    assertTrue(commands.acquire("session-a") >= 1);
    assertEquals(0, commands.acquire("session-b"));
  }
}
