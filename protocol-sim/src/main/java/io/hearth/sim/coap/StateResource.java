package io.hearth.sim.coap;

import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * {@code /state}: GET/observe the device's full state; PUT the properties to change (validated by
 * the behaviour, see {@link CoapSimDevice}). Listed as {@code rt="hearth.<profile>";obs;ct="50 60"}.
 */
final class StateResource extends ObservedResource {

  private final CoapSimDevice device;

  StateResource(CoapSimDevice device) {
    super("state", "hearth." + device.profile(), device::state, device::maxAgeSeconds);
    this.device = device;
  }

  @Override
  public void handlePUT(CoapExchange exchange) {
    device.onPut(exchange);
  }
}
