package io.hearth.gateway.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A paired user of the app API.
 *
 * @param id        stable id (random)
 * @param name      what the client called itself when pairing ({@code "Alice's phone"})
 * @param role      {@code owner}, {@code member} or {@code guest}
 * @param devices   the device ids a guest may see (empty for other roles)
 * @param createdAt when it paired
 */
public record UserRecord(String id, String name, String role, List<String> devices, Instant createdAt) {
  public UserRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    devices = List.copyOf(devices);
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
