package io.hearth.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.sim.SimDeviceSpec;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Tasmota and Zigbee2MQTT matrix on the embedded HiveMQ broker (the default setup). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedBrokerFirmwareE2eTest extends FirmwareScenarios {

  @Override
  protected GatewayFixture.Builder withBroker(Path dir, List<SimDeviceSpec> devices) {
    return GatewayFixture.builder(dir);
  }

  @Test
  void bridgeRegisteredThroughTheApiServesItsDevices() {
    // GIVEN a bridge registered through the API without credentials: generated ones, shown once
    JsonObject b = gw.http().post("/bridges", new JsonObject().put("id", "api-hub").put("baseTopic", "api/z2m"))
        .assertJson(201);
    JsonObject credentials = b.getJsonObject("credentials");
    assertNotNull(credentials, b::encode);
    assertEquals("api-hub", credentials.getString("username"));
    assertFalse(gw.http().get("/bridges").assertJson(200).encode().contains(credentials.getString("password")));
    gw.http().post("/bridges", new JsonObject().put("id", "api-hub")).assertProblem(409, "CONFLICT");
    // AND a device behind it: no credentials of its own
    JsonObject d = gw.http().post("/devices", new JsonObject().put("id", "api-bulb").put("profile", "light.dimmable")
        .put("binding", new JsonObject().put("protocol", "mqtt").put("convention", "zigbee2mqtt")
            .put("bridge", "api-hub").put("topic", "api_bulb"))).assertJson(201);
    assertFalse(d.containsKey("credentials"), d::encode);
    // WHEN the real bridge logs in with the generated credentials (its will, its <base>/# subscription)
    gw.simulate(List.of(SimDeviceSpec.zigbee2mqttBridge("api-hub", "api/z2m", List.of(
            SimDeviceSpec.zigbee2mqtt("api-bulb", "light.dimmable", "api_bulb")))
        .withCredentials(credentials.getString("username"), credentials.getString("password"))));
    // THEN the device is online and takes commands
    gw.awaitOnline("api-bulb");
    gw.set("api-bulb", new JsonObject().put("power", true).put("brightness", 50));
    // AND a device on an unknown bridge is refused naming binding.bridge
    JsonObject p = gw.http().post("/devices", new JsonObject().put("id", "stray").put("profile", "lock")
        .put("binding", new JsonObject().put("protocol", "mqtt").put("convention", "zigbee2mqtt")
            .put("bridge", "nope").put("topic", "stray"))).assertProblem(422, "VALIDATION_FAILED");
    assertTrue(p.encode().contains("binding.bridge"), p::encode);
    // AND the bridge cannot go while a device is behind it, nor a bridge of devices.yaml
    gw.http().delete("/bridges/api-hub").assertProblem(409, "CONFLICT");
    gw.http().delete("/bridges/" + BRIDGE).assertProblem(409, "CONFLICT");
    assertEquals(204, gw.http().delete("/devices/api-bulb").status());
    assertEquals(204, gw.http().delete("/bridges/api-hub").status());
    gw.http().get("/bridges/api-hub").assertProblem(404, "NOT_FOUND");
  }
}
