package io.hearth.gateway.e2e;

import io.hearth.sim.SimDeviceSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * The Tasmota and Zigbee2MQTT matrix on Eclipse Mosquitto 2 (password file; the bridge logs in once
 * for all its devices). Skipped only when Mosquitto is not installed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MosquittoFirmwareE2eTest extends FirmwareScenarios {
  private Mosquitto mosquitto;

  @Override
  protected GatewayFixture.Builder withBroker(Path dir, List<SimDeviceSpec> devices) {
    Map<String, String> users = new LinkedHashMap<>();
    users.put(MosquittoInteropE2eTest.GATEWAY_USER, MosquittoInteropE2eTest.GATEWAY_PASSWORD);
    devices.forEach(d -> users.put(d.username(), d.password())); // a bridge's devices have no login of their own
    mosquitto = new Mosquitto(dir.resolve("mosquitto"), users).start();
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
