package io.hearth.gateway.e2e;

import io.hearth.sim.SimDeviceSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * Tasmota discovery on the embedded broker during onboarding: {@code mqtt.embedded.allowAnonymous}
 * on, so devices without credentials can connect and announce themselves (docs/discovery.md).
 */
class TasmotaDiscoveryEmbeddedE2eTest extends TasmotaDiscoveryScenarios {
  @Override
  protected GatewayFixture.Builder withBroker(Path dir, List<SimDeviceSpec> devices) {
    return GatewayFixture.builder(dir).allowAnonymous();
  }
}
