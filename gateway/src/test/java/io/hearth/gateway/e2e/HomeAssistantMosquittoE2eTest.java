package io.hearth.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hearth.sim.SimDeviceSpec;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Home Assistant interop when the gateway uses an external broker (Mosquitto): Home Assistant on the
 * same broker with its own user; the discovery and a command round trip; after a broker restart
 * (retained messages lost) the gateway's Home Assistant connection reconnects and republishes
 * everything; a clean stop says {@code offline} on the gateway's status topic.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HomeAssistantMosquittoE2eTest {

  @Test
  void discoveryCommandsReconnectAndStopOnMosquitto(@TempDir Path dir) {
    List<SimDeviceSpec> devices = List.of(GatewayFixture.device("mq-lamp", "light.dimmable"),
        GatewayFixture.device("mq-plug", "plug"));
    Map<String, String> users = MosquittoInteropE2eTest.users(devices);
    users.put("homeassistant", "ha-secret-42");
    Mosquitto mosquitto = new Mosquitto(dir.resolve("mosquitto"), users).start();
    try (GatewayFixture gw = GatewayFixture.builder(dir)
        .externalBroker(mosquitto.url(), MosquittoInteropE2eTest.GATEWAY_USER, MosquittoInteropE2eTest.GATEWAY_PASSWORD)
        .homeAssistant(HomeAssistantE2eTest.HA).simulated(devices.toArray(SimDeviceSpec[]::new)).build().start()) {
      // GIVEN Home Assistant on the same Mosquitto
      try (HomeAssistantClient ha = new HomeAssistantClient(mosquitto.url(), "homeassistant", "homeassistant",
          "ha-secret-42")) {
        JsonObject plug = ha.awaitConfig("mq-plug");
        ha.follow(plug);
        ha.awaitPayload("hearth-ha/mq-plug/availability", "online");
        // WHEN it switches the plug on THEN the state comes back
        ha.publish(plug.getJsonObject("cmps").getJsonObject("power").getString("command_topic"), "ON", false);
        ha.awaitJson("hearth-ha/mq-plug/state", j -> Boolean.TRUE.equals(j.getBoolean("power")));
        assertEquals(true, gw.sim("mq-plug").state().get("power"));
      }

      // WHEN the broker restarts without persistence (every retained config is gone)
      mosquitto.kill();
      mosquitto.start();
      // THEN the gateway's connection comes back and publishes every config again
      try (HomeAssistantClient ha = new HomeAssistantClient(mosquitto.url(), "homeassistant", "homeassistant",
          "ha-secret-42")) {
        ha.awaitConfig("mq-lamp");
        JsonObject plug = ha.awaitConfig("mq-plug");
        ha.subscribe("hearth-ha/status");
        ha.awaitPayload("hearth-ha/status", "online");
        // AND it subscribed again: a command after the restart still goes through
        gw.awaitOnline("mq-plug");
        ha.follow(plug);
        ha.publish(plug.getJsonObject("cmps").getJsonObject("power").getString("command_topic"), "OFF", false);
        ha.awaitJson("hearth-ha/mq-plug/state", j -> Boolean.FALSE.equals(j.getBoolean("power")));

        // WHEN the gateway stops THEN its status says offline (retained), so every entity is unavailable
        String clientId = gw.app().mqttClientId() + "-ha";
        gw.stopGateway();
        ha.awaitPayload("hearth-ha/status", "offline");
        // AND none of the Home Assistant connection's threads outlives it
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
            .until(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().contains(clientId)));
      }
      try (HomeAssistantClient later = new HomeAssistantClient(mosquitto.url(), "homeassistant", "homeassistant",
          "ha-secret-42")) {
        later.subscribe("hearth-ha/status");
        assertEquals(true, later.awaitPayload("hearth-ha/status", "offline").retained());
      }
    } finally {
      mosquitto.kill();
    }
  }
}
