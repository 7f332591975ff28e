package io.hearth.gateway.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.sim.SimDevice;
import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimFaults;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway on an external broker (Mosquitto) that the test controls: the broker dies with
 * commands in flight and comes back on the same port; and the gateway restarts while the broker
 * and the devices stay up. The simulated devices reconnect by themselves (protocol-sim retries with
 * backoff up to 10 s and republishes its full state and availability on every reconnect).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrokerRestartE2eTest {
  private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "timed_out", "unknown");
  private static final List<String> LAMPS = List.of("b-lamp1", "b-lamp2", "b-lamp3", "b-lamp4", "b-lamp5");

  private Mosquitto mosquitto;
  private GatewayFixture gw;

  @BeforeAll
  void start(@TempDir Path dir) {
    List<SimDeviceSpec> devices = new ArrayList<>();
    for (String id : LAMPS) {
      devices.add(GatewayFixture.device(id, "light.dimmable"));
    }
    devices.add(GatewayFixture.device("b-plug", "plug").withConvention("tasmota", "tasmota_b_plug"));
    mosquitto = new Mosquitto(dir.resolve("mosquitto"), MosquittoInteropE2eTest.users(devices)).start();
    gw = GatewayFixture.builder(dir)
        .externalBroker(mosquitto.url(), MosquittoInteropE2eTest.GATEWAY_USER, MosquittoInteropE2eTest.GATEWAY_PASSWORD)
        .simulated(devices.toArray(SimDeviceSpec[]::new)).build().start();
  }

  @AfterAll
  void stop() {
    try {
      if (gw != null) {
        gw.close();
      }
    } finally {
      if (mosquitto != null) {
        mosquitto.close();
      }
    }
  }

  @Test
  void brokerDiesWithCommandsInFlightAndComesBack() throws Exception {
    // GIVEN devices that take a while to answer, and commands in flight to them
    for (String id : List.of("b-lamp1", "b-lamp2", "b-lamp3")) {
      gw.sim(id).setFaults(SimFaults.NONE.withReplyDelayMs(1500));
    }
    try {
      Map<String, Integer> before = new HashMap<>();
      LAMPS.forEach(id -> before.put(id, gw.sim(id).commandsReceived()));
      List<CompletableFuture<Http.Resp>> waiting = new ArrayList<>();
      Map<String, String> commands = new LinkedHashMap<>(); // cid → device
      for (String id : List.of("b-lamp1", "b-lamp2")) {
        waiting.add(gw.http().postAsync("/devices/" + id + "/commands", new JsonObject()
            .put("set", new JsonObject().put("brightness", 31)).put("timeoutMs", 6000)));
      }
      for (String id : List.of("b-lamp3", "b-lamp4")) {
        JsonObject a = gw.command(id, new JsonObject().put("wait", false).put("timeoutMs", 6000)
            .put("set", new JsonObject().put("brightness", 32))).assertJson(202);
        commands.put(a.getString("commandId"), id);
      }
      for (String id : List.of("b-lamp1", "b-lamp2", "b-lamp3", "b-lamp4")) {
        await().atMost(Duration.ofSeconds(10)).until(() -> gw.sim(id).commandsReceived() > before.get(id));
      }
      for (String id : List.of("b-lamp1", "b-lamp2")) {
        commands.put(gw.sim(id).receivedCommandIds().get(before.get(id)), id);
      }

      // WHEN the broker dies
      mosquitto.kill();

      // THEN health says mqtt is down, and commands are refused as unreachable (nothing queued)
      JsonObject down = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
          .until(() -> gw.http().get("/health"), r -> r.status() == 503).json();
      assertEquals("down", down.getString("mqtt"), down::encode);
      assertEquals("down", down.getString("status"), down::encode);
      gw.command("b-lamp5", new JsonObject().put("set", new JsonObject().put("power", true)))
          .assertProblem(409, "DEVICE_OFFLINE");
      // AND a change made on a device meanwhile
      gw.sim("b-lamp5").setState(Map.of("brightness", 88));

      // WHEN the broker comes back on the same port
      mosquitto.start();

      // THEN health is up again
      JsonObject up = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> gw.http().get("/health"), r -> r.status() == 200).json();
      assertEquals("up", up.getString("mqtt"), up::encode);
      // AND every wait=true client got an answer, and every command ended explicitly
      for (CompletableFuture<Http.Resp> f : waiting) {
        Http.Resp r = f.get(30, TimeUnit.SECONDS);
        assertTrue(r.status() == 200 || r.status() >= 500 || r.status() == 409, r::toString);
      }
      for (Map.Entry<String, String> c : commands.entrySet()) {
        JsonObject done = gw.awaitTerminal(c.getValue(), c.getKey(), Duration.ofSeconds(30));
        assertTrue(TERMINAL.contains(done.getString("status")), done::encode);
        assertNotNull(done.getString("completedAt"), done::encode);
        assertTrue(gw.device(c.getValue()).getJsonObject("pending").isEmpty(), c::toString);
      }
      // AND the devices reconnect and the change made while the broker was down shows up
      gw.awaitDevice("b-lamp5", d -> Integer.valueOf(88).equals(d.getJsonObject("state").getValue("brightness")));
      for (String id : LAMPS) {
        gw.awaitOnline(id);
        await().atMost(Duration.ofSeconds(30)).until(gw.sim(id)::online);
      }
      // AND commands flow again (the gateway resubscribed after the reconnect)
      for (String id : List.of("b-lamp1", "b-lamp5")) {
        gw.sim(id).setFaults(SimFaults.NONE);
        gw.set(id, new JsonObject().put("brightness", 50));
      }
      gw.set("b-plug", new JsonObject().put("power", true));
    } finally {
      if (!mosquitto.running()) {
        mosquitto.start();
      }
      LAMPS.forEach(id -> gw.sim(id).setFaults(SimFaults.NONE));
    }
  }

  @Test
  void gatewayRestartWithTheBrokerUpSendsNothingAndRetainedStateBringsDevicesBack() {
    // GIVEN every device online with a known state, and a spy on every device command topic
    for (String id : LAMPS) {
      gw.awaitOnline(id);
    }
    gw.set("b-lamp2", new JsonObject().put("power", true).put("brightness", 61));
    gw.set("b-plug", new JsonObject().put("power", false));
    Map<String, JsonObject> before = new HashMap<>();
    gw.http().get("/devices").assertJson(200).getJsonArray("devices")
        .forEach(d -> before.put(((JsonObject) d).getString("id"), (JsonObject) d));
    try (TopicSpy spy = new TopicSpy(mosquitto.url(), "command-spy", MosquittoInteropE2eTest.GATEWAY_USER,
        MosquittoInteropE2eTest.GATEWAY_PASSWORD)
        .subscribe("hearth/+/set", "hearth/+/action/+", "cmnd/#", "zigbee2mqtt/+/set")) {
      // WHEN the gateway restarts while the broker and the devices stay up
      gw.restart();
      // THEN the devices are online again from their retained availability and state alone
      gw.awaitOnline("b-plug");
      for (String id : LAMPS) {
        JsonObject d = gw.awaitDevice(id, x -> x.getBoolean("online"));
        assertEquals(before.get(id).getJsonObject("state"), d.getJsonObject("state"), id);
        assertEquals(before.get(id).getLong("version"), d.getLong("version"), id);
      }
      // AND nothing was sent at startup: the first message on any command topic is the next command
      String cid = gw.set("b-lamp2", new JsonObject().put("brightness", 62)).getString("commandId");
      await().atMost(Duration.ofSeconds(10)).until(() -> !spy.received().isEmpty());
      List<String> seen = spy.received();
      assertEquals(1, seen.size(), seen::toString);
      assertTrue(seen.get(0).startsWith("hearth/b-lamp2/set ") && seen.get(0).contains(cid), seen::toString);
    }
  }

  @Test
  void aDeviceSilentAcrossTheRestartIsMarkedOfflineWithReasonRestart() {
    // GIVEN a device that was online and then lost everything on the broker (no retained messages)
    SimDevice sim = gw.sim("b-lamp4");
    gw.awaitOnline("b-lamp4");
    sim.goOffline(false);
    gw.awaitDevice("b-lamp4", d -> !d.getBoolean("online"));
    try (TopicSpy asDevice = new TopicSpy(mosquitto.url(), "b-lamp4-cleaner", "b-lamp4",
        GatewayFixture.password("b-lamp4"))) {
      asDevice.publish("hearth/b-lamp4/state", new byte[0], true);
      asDevice.publish("hearth/b-lamp4/availability", new byte[0], true);
    }
    try {
      // WHEN the gateway restarts
      gw.restart();
      // THEN after the grace period it is offline with reason restart, the others are online
      JsonObject d = gw.awaitDevice("b-lamp4", x -> "restart".equals(x.getString("offlineReason")));
      assertEquals(false, d.getBoolean("online"), d::encode);
      gw.awaitOnline("b-lamp1");
      // AND it comes back when the device does
    } finally {
      sim.goOnline();
    }
    gw.awaitOnline("b-lamp4");
  }
}
