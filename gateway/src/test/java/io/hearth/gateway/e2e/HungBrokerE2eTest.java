package io.hearth.gateway.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.config.GatewayConfig;
import io.hearth.sim.SimDeviceSpec;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway on an external Mosquitto that freezes (SIGSTOP: its sockets stay open, nothing is
 * answered): {@code /health} reports {@code mqtt: down} within 1.5 × {@code mqtt.keepAliveSeconds}
 * (docs/operations.md), and the gateway is back once the broker resumes (issue 12 point 5).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HungBrokerE2eTest {

  @Test
  void aFrozenBrokerShowsInHealthWithinTheKeepAliveBoundAndTheGatewayRecovers(@TempDir Path dir) throws Exception {
    SimDeviceSpec lamp = GatewayFixture.device("h-lamp", "light.dimmable");
    int keepAlive = 2;
    try (Mosquitto mosquitto = new Mosquitto(dir.resolve("mosquitto"), MosquittoInteropE2eTest.users(List.of(lamp)))
        .start();
        GatewayFixture gw = GatewayFixture.builder(dir)
            .externalBroker(mosquitto.url(), MosquittoInteropE2eTest.GATEWAY_USER,
                MosquittoInteropE2eTest.GATEWAY_PASSWORD)
            .mqttLink(new GatewayConfig.Link(keepAlive, 1, 600))
            .simulated(lamp).build().start()) {
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> gw.http().get("/health"), r -> r.status() == 200);

      // WHEN the broker freezes
      mosquitto.freeze(true);
      long frozenAt = System.nanoTime();
      try {
        // THEN health says mqtt is down within 1.5 × keep-alive (plus the 100 ms poll)
        JsonObject down = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> gw.http().get("/health"), r -> r.status() == 503).json();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt);
        assertEquals("down", down.getString("mqtt"), down::encode);
        long boundMs = keepAlive * 1500L;
        assertTrue(tookMs <= boundMs + 1_000, "mqtt reported down after " + tookMs + " ms, bound " + boundMs + " ms");
      } finally {
        // WHEN it resumes
        mosquitto.freeze(false);
      }

      // THEN the gateway is back, and commands reach the device again
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> gw.http().get("/health"), r -> r.status() == 200);
      gw.awaitOnline("h-lamp");
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
        gw.set("h-lamp", new JsonObject().put("power", true));
        return true;
      });
    }
  }
}
