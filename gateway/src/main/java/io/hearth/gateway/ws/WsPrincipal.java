package io.hearth.gateway.ws;

import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Who a WebSocket connection acts for, and which devices it may see. A device it may not see is,
 * for this connection, a device that does not exist: its events are never sent, and asking for it
 * answers {@code DEVICE_NOT_FOUND}.
 *
 * @param name          a name for logs (never a token)
 * @param visible       the devices (by id) this principal may see and control
 * @param user          the user id that scopes its {@code idempotencyKey}s (as REST scopes the
 *                      {@code Idempotency-Key} header), so two users' keys never meet; null: keys
 *                      are used as they are
 * @param commandBudget takes one command from the budget this principal shares with REST (its
 *                      session's): 0 to go on, else the whole seconds to wait ({@code RATE_LIMITED})
 */
public record WsPrincipal(String name, Predicate<String> visible, String user, LongSupplier commandBudget) {
  /** A budget that never runs out. */
  public static final LongSupplier UNLIMITED = () -> 0;

  public WsPrincipal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(visible, "visible");
    Objects.requireNonNull(commandBudget, "commandBudget");
  }

  /** A principal without a user scope or a command limit. */
  public WsPrincipal(String name, Predicate<String> visible) {
    this(name, visible, null, UNLIMITED);
  }

  /** A principal that sees every device. */
  public static WsPrincipal everything(String name) {
    return new WsPrincipal(name, id -> true);
  }

  public boolean sees(String deviceId) {
    return visible.test(deviceId);
  }

  /** The client's idempotency key scoped to the user (user id, NUL, key, as REST does); null stays null. */
  public String scopedKey(String key) {
    return key == null || user == null ? key : user + '\u0000' + key;
  }
}
