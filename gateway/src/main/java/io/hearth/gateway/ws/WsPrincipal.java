package io.hearth.gateway.ws;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Who a WebSocket connection acts for, and which devices it may see. A device it may not see is,
 * for this connection, a device that does not exist: its events are never sent, and asking for it
 * answers {@code DEVICE_NOT_FOUND}.
 *
 * @param name    a name for logs (never a token)
 * @param visible the devices (by id) this principal may see and control
 */
public record WsPrincipal(String name, Predicate<String> visible) {
  public WsPrincipal {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(visible, "visible");
  }

  /** A principal that sees every device. */
  public static WsPrincipal everything(String name) {
    return new WsPrincipal(name, id -> true);
  }

  public boolean sees(String deviceId) {
    return visible.test(deviceId);
  }
}
