package io.hearth.gateway.security;

import java.util.Locale;
import java.util.Optional;

/**
 * What a paired user may do ({@code docs/security.md}, "Roles"): {@code owner} everything, including managing devices
 * and users; {@code member} reads and controls every device; {@code guest} only the devices its
 * invite lists.
 */
public enum Role {
  OWNER,
  MEMBER,
  GUEST;

  /** The wire name ({@code owner}, {@code member}, {@code guest}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role of a wire name, if it is one. */
  public static Optional<Role> of(String wireName) {
    for (Role r : values()) {
      if (r.wireName().equals(wireName)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
