package io.hearth.sim.coap;

import java.util.Objects;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * {@code /actions/{name}}: POST invokes one declared action of the behaviour with the JSON/CBOR input
 * object (may be empty). Undeclared names have no resource, so Californium answers 4.04. Listed as
 * {@code rt="hearth.action"}.
 */
final class ActionResource extends CoapResource {

  private final CoapSimDevice device;

  ActionResource(CoapSimDevice device, String name) {
    super(Objects.requireNonNull(name, "name"));
    this.device = Objects.requireNonNull(device, "device");
    getAttributes().addResourceType("hearth.action");
    getAttributes().addContentTypes(Payloads.JSON, Payloads.CBOR);
  }

  @Override
  public void handlePOST(CoapExchange exchange) {
    device.onAction(exchange, getName());
  }
}
