package io.hearth.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hearth.sim.SimDeviceSpec;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bridge registered through the API, and a device registered behind it, survive a restart: the
 * bridge is loaded before the stored devices that name it, and its broker account is admitted
 * again (docs/devices.md, "Bridges").
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BridgeRestartE2eTest {

  @Test
  void apiBridgeAndItsDeviceSurviveARestart(@TempDir Path dir) {
    try (GatewayFixture gw = GatewayFixture.builder(dir).build().start()) {
      // GIVEN a bridge and a device behind it, both registered through the API
      gw.http().post("/bridges", new JsonObject().put("id", "hub").put("baseTopic", "home/zigbee")
          .put("credentials", new JsonObject().put("username", "hub").put("password", GatewayFixture.password("hub"))))
          .assertJson(201);
      gw.http().post("/devices", new JsonObject().put("id", "porch").put("profile", "light.dimmable")
          .put("binding", new JsonObject().put("protocol", "mqtt").put("convention", "zigbee2mqtt")
              .put("bridge", "hub").put("topic", "porch light"))).assertJson(201);
      // WHEN the gateway restarts
      gw.restart();
      // THEN both are there, the bridge's password still unlisted
      JsonObject b = gw.http().get("/bridges/hub").assertJson(200);
      assertEquals("home/zigbee", b.getString("baseTopic"));
      assertFalse(b.getBoolean("fromConfig"));
      assertFalse(b.encode().contains(GatewayFixture.password("hub")), b::encode);
      gw.device("porch");
      // AND the bridge logs in with its credentials and serves the device under its base topic
      gw.simulate(List.of(SimDeviceSpec.zigbee2mqttBridge("hub", "home/zigbee", List.of(
              SimDeviceSpec.zigbee2mqtt("porch", "light.dimmable", "porch light")))
          .withCredentials("hub", GatewayFixture.password("hub"))));
      gw.awaitOnline("porch");
      gw.set("porch", new JsonObject().put("power", true));
    }
  }
}
