package io.hearth.sim.behavior;

import java.util.Map;
import java.util.Random;

/**
 * What a behaviour may ask of the device that hosts it. Every call happens on the device's own
 * thread (its event-loop context), so behaviours need no locking.
 */
public interface DeviceHost {

  /** The behaviour changed its state on its own (drift, movement): publish a state report. */
  void stateChanged();

  /** Emits a device event, e.g. {@code jammed}. */
  void emitEvent(String name, Map<String, Object> data);

  /** Runs {@code task} once after {@code delayMs} on the device's thread; returns a timer id. */
  long schedule(long delayMs, Runnable task);

  /** Cancels a timer from {@link #schedule}; unknown ids are ignored. */
  void cancel(long timerId);

  /** A random source for noise. */
  Random random();

  /** Whether the lock-style "jammed" fault is set for this device. */
  boolean jammed();
}
