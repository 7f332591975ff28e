package io.hearth.gateway.ws;

import java.util.HashMap;
import java.util.Map;

/**
 * Who may hold a WebSocket (docs/websocket.md, "Limits"): connections not yet authenticated share a
 * small pool of their own ({@link WsOptions#maxUnauthenticated()}), so sockets that never send a
 * token cannot take the places of users; authenticated connections count against the gateway's
 * {@link WsOptions#maxConnections()} and their user's {@link WsOptions#maxPerUser()}. A place is
 * taken before the upgrade completes and given back when the connection closes (or the upgrade
 * fails). Core context only.
 */
final class WsAdmission {
  /** Why a place was refused. */
  enum Refusal { UNAUTHENTICATED_FULL, GATEWAY_FULL, USER_FULL }

  private final WsOptions options;
  private final Map<String, Integer> perUser = new HashMap<>();
  private int unauthenticated;
  private int authenticated;

  WsAdmission(WsOptions options) {
    this.options = options;
  }

  /** Takes a place for a connection of {@code user} (null: not authenticated yet); null when taken. */
  Refusal take(String user) {
    if (user == null) {
      if (unauthenticated >= options.maxUnauthenticated()) {
        return Refusal.UNAUTHENTICATED_FULL;
      }
      unauthenticated++;
      return null;
    }
    if (authenticated >= options.maxConnections()) {
      return Refusal.GATEWAY_FULL;
    }
    if (perUser.getOrDefault(user, 0) >= options.maxPerUser()) {
      return Refusal.USER_FULL;
    }
    authenticated++;
    perUser.merge(user, 1, Integer::sum);
    return null;
  }

  /** Gives back the place of a connection of {@code user} (null: not authenticated). */
  void release(String user) {
    if (user == null) {
      unauthenticated = Math.max(0, unauthenticated - 1);
      return;
    }
    authenticated = Math.max(0, authenticated - 1);
    perUser.computeIfPresent(user, (k, n) -> n <= 1 ? null : n - 1);
  }

  /**
   * Moves a connection from {@code from} to {@code to} (an {@code auth} message); on a refusal it
   * keeps its old place.
   */
  Refusal move(String from, String to) {
    if (java.util.Objects.equals(from, to)) {
      return null;
    }
    release(from);
    Refusal r = take(to);
    if (r != null) {
      take(from); // its old place was just freed: always available again
    }
    return r;
  }

  int unauthenticated() {
    return unauthenticated;
  }

  int authenticated() {
    return authenticated;
  }
}
