package io.hearth.gateway.ws;

import io.hearth.gateway.events.GatewayEvent;
import java.util.Objects;
import java.util.Set;

/**
 * One subscription of a connection: its filters and where its replay stands. While
 * {@link #replaying}, live events are not sent for it: the replay reads them from the log and
 * the subscription goes live, on the core context, exactly after the last seq it sent.
 */
final class WsSubscription {
  final int id;
  private final WsPrincipal principal;
  private final Set<String> devices;
  private final Set<String> kinds;
  /** The last seq this subscription examined (sent or filtered out). */
  long cursor;
  boolean replaying;
  boolean cancelled;

  /**
   * @param devices device ids to deliver, or null for all the principal may see
   * @param kinds   kinds to deliver, or null for all
   */
  WsSubscription(int id, WsPrincipal principal, Set<String> devices, Set<String> kinds) {
    this.id = id;
    this.principal = Objects.requireNonNull(principal, "principal");
    this.devices = devices;
    this.kinds = kinds;
  }

  boolean matches(GatewayEvent e) {
    return (kinds == null || kinds.contains(e.kind()))
        && (devices == null || devices.contains(e.deviceId()))
        && principal.sees(e.deviceId());
  }
}
