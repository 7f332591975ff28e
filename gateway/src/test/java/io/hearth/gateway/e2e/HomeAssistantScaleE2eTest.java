package io.hearth.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hearth.sim.SimDeviceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A republish of many devices (Home Assistant's birth) reaches Home Assistant whole, in batches as
 * the link drains; the time it takes is logged (docs/home-assistant.md, "Limits").
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HomeAssistantScaleE2eTest {
  private static final Logger LOG = LoggerFactory.getLogger(HomeAssistantScaleE2eTest.class);
  static final int DEVICES = 1000;

  @Test
  void aBirthRepublishesAThousandDevices(@TempDir Path dir) {
    SimDeviceSpec[] specs = IntStream.range(0, DEVICES).mapToObj(i -> GatewayFixture.device("p" + i, "plug"))
        .toArray(SimDeviceSpec[]::new);
    try (GatewayFixture gw = GatewayFixture.builder(dir).homeAssistant(HomeAssistantE2eTest.HA).registeredOnly(specs)
        .build().start();
        HomeAssistantClient ha = new HomeAssistantClient(gw.mqttUrl(), "homeassistant", "homeassistant",
            "ha-secret-42")) {
      ha.awaitConfig("p" + (DEVICES - 1));
      ha.clear();
      long t0 = System.nanoTime();
      ha.birth();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
          .until(() -> ha.received().stream().filter(m -> m.topic().endsWith("/config")).count() >= DEVICES + 1);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      long configs = ha.received().stream().filter(m -> m.topic().endsWith("/config")).map(m -> m.topic())
          .distinct().count();
      assertEquals(DEVICES + 1, configs);
      LOG.info("Home Assistant republish measured [devices: {}, configs: {}, messages: {}, ms: {}]", DEVICES, configs,
          ha.received().size(), ms);
    }
  }
}
