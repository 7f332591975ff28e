package io.hearth.sim;

import io.vertx.core.Future;

/**
 * Something the {@link Simulator} starts and stops: a device, or a Zigbee2MQTT bridge with the
 * devices behind it. Internal to the simulator.
 */
public interface ManagedUnit {

  String id();

  /** Brings it up; completes once it is reachable and has announced itself. */
  Future<Void> start();

  /** Why the last connection attempt failed, or null. */
  String lastError();

  boolean online();

  /** Stops its timers and connection; never fails. */
  Future<Void> close();
}
