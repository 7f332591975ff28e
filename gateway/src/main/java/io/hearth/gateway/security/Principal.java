package io.hearth.gateway.security;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Who a valid access token speaks for, as the user is now (a role change applies to tokens
 * already issued).
 *
 * @param userId  the user's id
 * @param name    the name given at pairing
 * @param role    the user's role
 * @param canSee  whether a device id is visible to this user: a device it may not see must look
 *                exactly like a device that does not exist (404 DEVICE_NOT_FOUND, left out of lists
 *                and event streams)
 * @param session the paired session (refresh token family) the token belongs to; rate limits count
 *                per session
 */
public record Principal(String userId, String name, Role role, Predicate<String> canSee, String session) {
  public Principal {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(canSee, "canSee");
    Objects.requireNonNull(session, "session");
  }

  /** True for the owner. */
  public boolean isOwner() {
    return role == Role.OWNER;
  }
}
