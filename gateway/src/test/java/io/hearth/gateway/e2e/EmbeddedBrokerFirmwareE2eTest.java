package io.hearth.gateway.e2e;

import io.hearth.sim.SimDeviceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/** The Tasmota and Zigbee2MQTT matrix on the embedded HiveMQ broker (the default setup). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedBrokerFirmwareE2eTest extends FirmwareScenarios {

  /**
   * Stop-gap until the embedded broker drops (not disconnects) a publish outside the client's ACL
   * (issue 11 item 1, the "broker" branch): no empty {@code cmnd/<t>/POWER} at connect, no discovery
   * config. Remove this override once that lands, as DeviceScenarios' stop-gap.
   */
  @Override
  protected SimDeviceSpec tasmota(SimDeviceSpec spec) {
    return spec.withFirmware("setOption90", true).withFirmware("discovery", false);
  }

  @Override
  protected GatewayFixture.Builder withBroker(Path dir, List<SimDeviceSpec> devices) {
    return GatewayFixture.builder(dir);
  }
}
