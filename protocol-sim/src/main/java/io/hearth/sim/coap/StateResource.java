package io.hearth.sim.coap;

import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * {@code /state}: GET/observe the device's full state; PUT the properties to change (validated by
 * the behaviour, see {@link CoapSimDevice}). Listed as {@code rt="hearth.<profile>";obs;ct="50 60"}.
 */
final class StateResource extends ObservedResource {

  private final CoapSimDevice device;

  StateResource(CoapSimDevice device) {
    super("state", "hearth." + device.profile());
    this.device = device;
  }

  @Override
  protected Object body() {
    return device.state();
  }

  @Override
  protected long maxAgeSeconds() {
    return device.maxAgeSeconds();
  }

  @Override
  public void handlePUT(CoapExchange exchange) {
    device.onPut(exchange);
  }
}
