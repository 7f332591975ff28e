package io.hearth.gateway.state;

/** What the gateway knows of a device's reachability. */
public enum Availability {
  /** Not heard from since start (or since it was added); within the grace period. */
  UNKNOWN,
  ONLINE,
  OFFLINE
}
