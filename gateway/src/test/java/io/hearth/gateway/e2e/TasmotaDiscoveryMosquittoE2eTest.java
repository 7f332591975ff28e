package io.hearth.gateway.e2e;

import io.hearth.sim.SimDeviceSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * Tasmota discovery on Eclipse Mosquitto (password file, anonymous refused): the devices have their
 * broker accounts before the gateway knows them, as an owner running their own broker sets it up.
 */
class TasmotaDiscoveryMosquittoE2eTest extends TasmotaDiscoveryScenarios {
  private Mosquitto mosquitto;

  @Override
  protected List<SimDeviceSpec> devices() {
    return super.devices().stream()
        .map(d -> d.withCredentials(d.id(), GatewayFixture.password(d.id()))).toList();
  }

  @Override
  protected GatewayFixture.Builder withBroker(Path dir, List<SimDeviceSpec> devices) {
    mosquitto = new Mosquitto(dir.resolve("mosquitto"), MosquittoInteropE2eTest.users(devices)).start();
    return GatewayFixture.builder(dir).externalBroker(mosquitto.url(), MosquittoInteropE2eTest.GATEWAY_USER,
        MosquittoInteropE2eTest.GATEWAY_PASSWORD);
  }

  @Override
  protected void stopBroker() {
    if (mosquitto != null) {
      mosquitto.close();
    }
  }
}
