package io.hearth.gateway.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.sim.SimDevice;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deliverWhen: nextWake} end to end (docs/api.md#commands): the real gateway on the embedded
 * broker and simulated devices that go offline and come back. A command for an offline device is
 * accepted {@code pending}, survives a gateway restart, and goes out when the device is next heard
 * from; one whose device stays away expires {@code failed} and is never delivered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class SleepyDeviceE2eTest {
  private GatewayFixture gw;

  @BeforeAll
  void start(@TempDir Path dir) {
    gw = GatewayFixture.builder(dir).graceMs(1500)
        .simulated(GatewayFixture.device("wake-lamp", "light.dimmable"),
            GatewayFixture.device("expire-lamp", "light.dimmable"))
        .build().start();
  }

  @AfterAll
  void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  private static JsonObject nextWake(JsonObject set) {
    return new JsonObject().put("set", set).put("deliverWhen", "nextWake");
  }

  @Test
  void aCommandForAnOfflineDeviceWaitsAcrossARestartAndGoesOutWhenItWakes() {
    // GIVEN a device that went away (its will marks it offline)
    SimDevice sim = gw.sim("wake-lamp");
    sim.goOffline(true);
    gw.awaitDevice("wake-lamp", d -> !d.getBoolean("online"));
    // (without deliverWhen: refused, as before)
    gw.command("wake-lamp", new JsonObject().put("set", new JsonObject().put("power", true)))
        .assertProblem(409, "DEVICE_OFFLINE");

    // WHEN a nextWake command is sent (wait defaults to true)
    JsonObject accepted = gw.command("wake-lamp", nextWake(new JsonObject().put("power", true).put("brightness", 33)))
        .assertJson(202);
    String cid = accepted.getString("commandId");
    assertEquals("pending", accepted.getString("status"));

    // THEN it is pending, waiting for the wake-up, on the device view too, and nothing reached the device
    JsonObject waiting = gw.getCommand("wake-lamp", cid).assertJson(200);
    assertEquals("pending", waiting.getString("status"));
    assertEquals("nextWake", waiting.getString("deliverWhen"), waiting::encode);
    assertEquals(java.time.Instant.parse(waiting.getString("createdAt")).plus(Duration.ofHours(25))
        .truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
        java.time.Instant.parse(waiting.getString("expiresAt")), "the default expiry, 25 h");
    assertEquals(new JsonObject().put("brightness", 33).put("power", true),
        gw.device("wake-lamp").getJsonObject("pending"));

    // WHEN the gateway restarts meanwhile
    gw.restart();
    // THEN the command is still pending and still on the device view
    assertEquals("pending", gw.getCommand("wake-lamp", cid).assertJson(200).getString("status"));
    assertEquals(new JsonObject().put("brightness", 33).put("power", true),
        gw.device("wake-lamp").getJsonObject("pending"));
    assertEquals(waiting.getString("expiresAt"), gw.getCommand("wake-lamp", cid).assertJson(200).getString("expiresAt"),
        "the expiry counts from the acceptance, also after a restart");
    assertEquals(0, sim.commandsReceived());

    // WHEN the device comes back
    sim.goOnline();

    // THEN the command goes out and succeeds, and the device shows the values
    JsonObject done = gw.awaitTerminal("wake-lamp", cid, Duration.ofSeconds(30));
    assertEquals("succeeded", done.getString("status"), done::encode);
    assertEquals(null, done.getString("deliverWhen"), done::encode);
    assertTrue(sim.receivedCommandIds().contains(cid), sim.receivedCommandIds()::toString);
    JsonObject device = gw.awaitDevice("wake-lamp", d -> d.getJsonObject("pending").isEmpty());
    assertEquals(33, device.getJsonObject("state").getInteger("brightness"), device::encode);
  }

  @Test
  void aCommandWhoseDeviceStaysAwayExpiresAndIsNeverDelivered() {
    SimDevice sim = gw.sim("expire-lamp");
    sim.goOffline(true);
    gw.awaitDevice("expire-lamp", d -> !d.getBoolean("online"));

    String cid = gw.command("expire-lamp", nextWake(new JsonObject().put("power", true)).put("expiresInMs", 500))
        .assertJson(202).getString("commandId");

    JsonObject done = gw.awaitTerminal("expire-lamp", cid, Duration.ofSeconds(30));
    assertEquals("failed", done.getString("status"), done::encode);
    assertTrue(done.getString("error").contains("expiresInMs"), done::encode);
    assertEquals(new JsonObject(), gw.device("expire-lamp").getJsonObject("pending"));

    sim.goOnline();
    gw.awaitOnline("expire-lamp");
    // a later command goes through: the expired one is not delivered ahead of it
    JsonObject ok = gw.set("expire-lamp", new JsonObject().put("brightness", 12));
    assertEquals("succeeded", ok.getString("status"));
    assertTrue(!sim.receivedCommandIds().contains(cid), sim.receivedCommandIds()::toString);
  }

  @Test
  void theOptionsAreCheckedAgainstTheSchema() {
    gw.command("wake-lamp", new JsonObject().put("set", new JsonObject().put("power", true))
        .put("deliverWhen", "soon")).assertProblem(422, "VALIDATION_FAILED");
    gw.command("wake-lamp", new JsonObject().put("set", new JsonObject().put("power", true))
        .put("expiresInMs", 1000)).assertProblem(422, "VALIDATION_FAILED");
  }
}
