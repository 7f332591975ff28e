package io.hearth.gateway.e2e;

import io.hearth.sim.SimDeviceSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Interop with a third-party broker: the shared device scenarios against the gateway with its
 * embedded broker off and {@code mqtt.url} pointing at Eclipse Mosquitto 2 (password file,
 * anonymous refused; the gateway logs in with {@code mqtt.username}/{@code mqtt.password}).
 * Skipped only when Mosquitto is not installed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MosquittoInteropE2eTest extends DeviceScenarios {
  static final String GATEWAY_USER = "hearth-gw";
  static final String GATEWAY_PASSWORD = "gw-secret-4d2e";

  private Mosquitto mosquitto;

  @Override
  protected GatewayFixture.Builder withBroker(Path dir, List<SimDeviceSpec> devices) {
    mosquitto = new Mosquitto(dir.resolve("mosquitto"), users(devices)).start();
    return GatewayFixture.builder(dir).externalBroker(mosquitto.url(), GATEWAY_USER, GATEWAY_PASSWORD);
  }

  /** The gateway's and every device's login, for Mosquitto's password file. */
  static Map<String, String> users(List<SimDeviceSpec> devices) {
    Map<String, String> users = new LinkedHashMap<>();
    users.put(GATEWAY_USER, GATEWAY_PASSWORD);
    for (SimDeviceSpec d : devices) {
      users.put(d.username(), d.password());
    }
    return users;
  }

  @Override
  protected void stopBroker() {
    if (mosquitto != null) {
      mosquitto.close();
    }
  }

  @Override
  protected boolean brokerRefusesHugePayloads() {
    return false; // Mosquitto's default message_size_limit is far above 1 MB: the gateway must drop it
  }
}
