package io.hearth.sim.support;

import io.hearth.sim.ManagedSimDevice;
import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimFaults;
import java.util.List;
import java.util.Map;

/**
 * The {@code SimDevice} methods every transport answers the same way, each handed to the device's
 * {@link DeviceCore}; the transport supplies its core and the lifecycle. Holds no logic of its own.
 * Not part of the library's API.
 */
public abstract class CoreDelegatingDevice implements ManagedSimDevice {

  /** The device's transport-neutral core. */
  protected abstract DeviceCore core();

  @Override
  public final String id() {
    return core().id();
  }

  @Override
  public final String profile() {
    return core().profile();
  }

  /** The spec the device was made from. */
  public final SimDeviceSpec spec() {
    return core().spec();
  }

  @Override
  public final Map<String, Object> state() {
    return core().state();
  }

  @Override
  public final void setState(Map<String, Object> changes) {
    core().setState(changes);
  }

  @Override
  public final void emitEvent(String name, Map<String, Object> data) {
    core().emitEvent(name, data);
  }

  @Override
  public final SimFaults faults() {
    return core().faults();
  }

  @Override
  public final void setFaults(SimFaults newFaults) {
    core().setFaults(newFaults);
  }

  @Override
  public final int commandsReceived() {
    return core().commandsReceived();
  }

  @Override
  public final List<String> receivedCommandIds() {
    return core().receivedCommandIds();
  }
}
