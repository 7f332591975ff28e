package io.hearth.sim;

import io.vertx.core.Future;

/**
 * A simulated device as the {@link Simulator} runs it. One implementation per transport (MQTT
 * now; CoAP comes beside it), all sharing the transport-free behaviours of
 * {@code io.hearth.sim.behavior}. Tests use {@link SimDevice}.
 */
public interface ManagedSimDevice extends SimDevice, ManagedUnit {

  /** Brings the device up; completes once it is reachable and has announced itself. */
  @Override
  Future<Void> start();

  /** Why the last connection attempt failed, or null. */
  @Override
  String lastError();

  /** Stops the device's timers and connection; never fails. */
  @Override
  Future<Void> close();
}
