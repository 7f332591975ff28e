package io.hearth.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.sim.SimDevice;
import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimFaults;
import io.hearth.sim.Simulator;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway process on one Mosquitto that the scenarios kill, restart and reconfigure, in order
 * (docs/reliability.md, scenarios 2, 3, 4, 8): the gateway's first start with the broker down,
 * the broker killed and restarted without and with persistence, a device dying without a
 * DISCONNECT, and payloads over the broker's or the gateway's size limits. The bounds are the
 * ones docs/reliability.md promises.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BrokerFaultTest {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerFaultTest.class);
  /**
   * After a short outage (about a second) the gateway's MQTT connection is up this soon after the
   * broker accepts connections again; after any outage, at its next retry (see {@link #nextRetry}).
   */
  static final Duration RECONNECT_BOUND = Duration.ofSeconds(10);
  /** The longest retry delay (docs/reliability.md), when the log does not say the next one. */
  static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);
  /** Connect time on top of the retry delay on a loaded machine. */
  static final Duration CONNECT_SLACK = Duration.ofSeconds(3);
  private static final java.util.regex.Pattern RETRY_IN = java.util.regex.Pattern.compile("retryInMs: (\\d+)");
  /** A device whose connection dies without DISCONNECT shows offline this soon. */
  static final Duration OFFLINE_BOUND = Duration.ofSeconds(3);
  /** /health shows the broker's death this soon. */
  static final Duration DOWN_BOUND = Duration.ofSeconds(5);
  static final int BROKER_MAX_PACKET = 16384;
  /** A hung broker is noticed within 1.5 × the gateway's 30 s MQTT keep-alive (docs/reliability.md). */
  /** The gateway's MQTT keep-alive in this suite (short, so the hung-broker scenario is quick). */
  static final int KEEP_ALIVE_SECONDS = 6;
  /** A hung broker is declared down within 1.5 × keep-alive (docs/operations.md), + 3 s to poll. */
  static final Duration HUNG_BOUND = Duration.ofMillis(KEEP_ALIVE_SECONDS * 1500L + 3000);
  private static final List<String> LAMPS = List.of("m-lamp1", "m-lamp2", "m-lamp3");

  private Mosquitto mosquitto;
  private GatewayProcess gw;
  private Simulator sim;
  private final List<SimDeviceSpec> specs = LAMPS.stream().map(Devices::lamp).toList();

  @BeforeAll
  void start(@TempDir Path dir) {
    mosquitto = new Mosquitto(dir.resolve("mosquitto"), Devices.users(specs))
        .configure(false, "max_packet_size " + BROKER_MAX_PACKET);
    // the broker is not started: the gateway's first start finds it down
    gw = new GatewayProcess(dir.resolve("gateway"), specs.stream().map(GatewayProcess::mqttEntry).toList(),
        withKeepAlive(GatewayProcess.externalBroker(mosquitto.url(), Devices.GATEWAY_USER, Devices.GATEWAY_PASSWORD)))
        .start();
  }

  private static Map<String, String> withKeepAlive(Map<String, String> env) {
    Map<String, String> e = new LinkedHashMap<>(env);
    e.put("HEARTH_MQTT_KEEP_ALIVE_SECONDS", Integer.toString(KEEP_ALIVE_SECONDS));
    return e;
  }

  @AfterAll
  void stop() {
    try (AutoCloseable m = mosquitto; AutoCloseable g = gw; AutoCloseable s = sim) {
      LOG.info("closing");
    } catch (Exception e) {
      LOG.warn("close failed", e);
    }
  }

  private SimDevice sim(String id) {
    return sim.device(id);
  }

  @Test
  @Order(1)
  void firstStartWithTheBrokerDownThenConnectsWhenItComes() {
    // GIVEN the gateway started while the broker was down: it is up, and says mqtt is down
    JsonObject down = gw.health().assertJson(503);
    assertNotEquals("up", down.getString("mqtt"), down::encode);
    assertEquals("up", down.getString("store"), down::encode);

    // WHEN the broker comes
    mosquitto.start();
    long t0 = System.nanoTime();

    // THEN the gateway connects at its next retry
    awaitMqttUp(nextRetry());
    LOG.info("measured: first connect {} ms after the broker accepted connections", ms(t0));
    // AND devices that connect now are online and take commands
    sim = Devices.simulate(mosquitto.url(), specs);
    LAMPS.forEach(gw::awaitOnline);
    LAMPS.forEach(id -> gw.set(id, new JsonObject().put("brightness", 20)));
  }

  @Test
  @Order(2)
  void brokerKilledAndRestartedWithoutPersistence() {
    brokerKilledAndRestarted("without persistence");
  }

  @Test
  @Order(3)
  void deviceDyingWithoutDisconnectIsOfflineWithReasonAndCommandsAre409() {
    LAMPS.forEach(gw::awaitOnline);
    // WHEN a device's connection dies without a DISCONNECT (the broker publishes its will)
    long t0 = System.nanoTime();
    sim("m-lamp3").goOffline(true);
    // THEN it is offline with a reason within the bound
    JsonObject d = gw.awaitDevice("m-lamp3", x -> !x.getBoolean("online"), OFFLINE_BOUND);
    LOG.info("measured: offline {} ms after the device's socket died [reason: {}]", ms(t0), d.getString("offlineReason"));
    assertEquals("lwt", d.getString("offlineReason"), d::encode);
    // AND a command to it is refused explicitly, nothing is recorded or sent
    int received = sim("m-lamp3").commandsReceived();
    gw.command("m-lamp3", new JsonObject().put("set", new JsonObject().put("power", true)))
        .assertProblem(409, "DEVICE_OFFLINE");
    // AND when it comes back it takes commands again, the refused one never arrived
    sim("m-lamp3").goOnline();
    gw.awaitOnline("m-lamp3");
    gw.set("m-lamp3", new JsonObject().put("brightness", 33));
    assertEquals(received + 1, sim("m-lamp3").commandsReceived());
  }

  @Test
  @Order(4)
  void payloadOverTheBrokersLimitCostsOnlyThatClientsConnection() throws Exception {
    LAMPS.forEach(gw::awaitOnline);
    int lost = gw.logLines("MQTT connection lost").size();
    // WHEN a device publishes a state over the broker's max packet size (the broker cuts it off)
    RawMqtt.publish(mosquitto.port(), "m-lamp2-raw", "m-lamp2", Devices.password("m-lamp2"), "hearth/m-lamp2/state",
        bigState(BROKER_MAX_PACKET + 4096), false);
    await().atMost(Duration.ofSeconds(5)).until(() -> mosquitto.log().contains("m-lamp2-raw"));
    // THEN the gateway stayed connected, and the next good report applies
    sim("m-lamp2").setState(Map.of("brightness", 64));
    gw.awaitDevice("m-lamp2", x -> Integer.valueOf(64).equals(x.getJsonObject("state").getValue("brightness")),
        Duration.ofSeconds(5));
    gw.set("m-lamp2", new JsonObject().put("brightness", 65));
    assertEquals(lost, gw.logLines("MQTT connection lost").size(), gw::log);
    assertEquals("up", gw.health().assertJson(200).getString("mqtt"));
  }

  @Test
  @Order(4)
  void anotherClientUsingTheOldFixedGatewayClientIdDoesNotKickTheGatewayOff() throws Exception {
    LAMPS.forEach(gw::awaitOnline);
    int lost = gw.logLines("MQTT connection lost").size();
    // WHEN another client connects with the client id every gateway used to have
    RawMqtt.publish(mosquitto.port(), "hearth-gateway", "m-lamp2", Devices.password("m-lamp2"), "hearth/m-lamp2/noise",
        new byte[] {'x'}, false);
    // THEN the gateway (hearth-gateway-<installation id>) keeps its connection and round trips work
    gw.set("m-lamp2", new JsonObject().put("brightness", 66));
    assertEquals(lost, gw.logLines("MQTT connection lost").size(), gw::log);
  }

  @Test
  @Order(5)
  void brokerKilledAndRestartedWithPersistence() {
    // GIVEN the broker restarted cleanly with persistence on (and without its packet limit)
    mosquitto.stop();
    mosquitto.configure(true).start();
    awaitMqttUp(RECONNECT_BOUND);
    LAMPS.forEach(id -> await().atMost(Duration.ofSeconds(30)).until(sim(id)::online));
    mosquitto.save();
    brokerKilledAndRestarted("with persistence");
  }

  @Test
  @Order(6)
  // issue 12 point 2, fixed: measured before on Mosquitto 2.0.11, the 20 KB retained state (the broker once
  // announced 16384, no longer does) disconnected the gateway 'Incoming packet too large (51001)' (Paho
  // kept the old limit), again on every reconnect while it stayed retained: 7 disconnects in 5 s
  void payloadOverALimitTheBrokerOnceAnnouncedDoesNotCostTheGatewayItsConnection() throws Exception {
    // GIVEN the gateway connected earlier to this broker when it announced a max packet size of
    // 16384 (CONNACK), and now to the same broker without that limit (scenario 5's restart)
    LAMPS.forEach(gw::awaitOnline);
    int lost = gw.logLines("MQTT connection lost").size();
    try {
      // WHEN a device publishes a retained state larger than that old limit, and one over the gateway's own
      RawMqtt.publish(mosquitto.port(), "m-lamp1-raw", "m-lamp1", Devices.password("m-lamp1"), "hearth/m-lamp1/state",
          bigState(BROKER_MAX_PACKET + 4096), true);
      RawMqtt.publish(mosquitto.port(), "m-lamp1-raw", "m-lamp1", Devices.password("m-lamp1"), "hearth/m-lamp1/state",
          bigState(300 * 1024), false);
      // THEN the next good report applies, and the gateway stayed connected
      sim("m-lamp1").setState(Map.of("brightness", 71));
      gw.awaitDevice("m-lamp1", x -> Integer.valueOf(71).equals(x.getJsonObject("state").getValue("brightness")),
          Duration.ofSeconds(5));
      assertEquals(lost, gw.logLines("MQTT connection lost").size(), () -> String.join("\n", gw.logLines("MQTT")));
      // (the one over the gateway's own limit never reaches it: the gateway's CONNECT declares its
      // Maximum Packet Size, so the broker drops it, docs/broker.md)
      gw.set("m-lamp1", new JsonObject().put("brightness", 72));
    } finally {
      // a good retained state replaces the oversized one, so the next scenarios find the gateway connected
      sim("m-lamp1").setState(Map.of("brightness", 73));
      awaitMqttUp(nextRetry());
    }
  }

  @Test
  @Order(7)
  // issue 12 point 6, fixed: measured before on Mosquitto 2.0.11 with persistence, after the crash the broker
  // replayed the saved retained state and availability and the gateway applied them as new: brightness
  // 10 -> 90, version 7 -> 8, and the device (still away) showed online
  void persistentBrokerCrashDoesNotReplayAStaleRetainedState() {
    // GIVEN a persistent broker that saved a device's retained state (90), then a newer one (10)
    gw.awaitOnline("m-lamp3");
    gw.set("m-lamp3", new JsonObject().put("brightness", 90));
    mosquitto.save();
    long version = gw.set("m-lamp3", new JsonObject().put("brightness", 10)).getLong("version");
    // AND the device away (so its own reconnect cannot mask what the broker replays)
    sim("m-lamp3").goOffline(true);
    gw.awaitDevice("m-lamp3", x -> !x.getBoolean("online"), OFFLINE_BOUND);
    try {
      // WHEN the broker crashes and comes back with the saved (older) retained state
      mosquitto.kill();
      mosquitto.start();
      awaitMqttUp(RECONNECT_BOUND);
      // THEN the gateway keeps the newer state: no stale value, no new version
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
          .untilAsserted(() -> {
            JsonObject d = gw.device("m-lamp3");
            assertEquals(10, d.getJsonObject("state").getInteger("brightness"), d::encode);
            assertEquals(version, d.getLong("version"), d::encode);
          });
    } finally {
      sim("m-lamp3").goOnline();
    }
    gw.awaitOnline("m-lamp3");
  }

  @Test
  @Order(8)
  // issue 12 point 5, fixed: measured before, after SIGSTOP /health said mqtt up for 60.0 s (bound then 45 s);
  // the gateway here runs with a 6 s keep-alive, so the bound is 1.5 x 6 s (+ 3 s to poll)
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void hungBrokerIsNoticedWithinTheKeepAliveBound() {
    // GIVEN the broker hangs (SIGSTOP: its sockets stay open, nothing is answered)
    LAMPS.forEach(gw::awaitOnline);
    mosquitto.pause();
    long t0 = System.nanoTime();
    try {
      // WHEN a command is sent meanwhile, THEN it ends explicitly
      Http.Resp r = gw.command("m-lamp1", new JsonObject().put("set", new JsonObject().put("brightness", 12))
          .put("timeoutMs", 3000));
      assertTrue(r.status() == 504 || r.status() == 409, r::toString);
      // AND /health says mqtt is down within the keep-alive bound
      await().atMost(HUNG_BOUND).pollInterval(Duration.ofMillis(200)).until(() -> gw.health().status() == 503);
      LOG.info("measured: hung broker noticed {} ms after SIGSTOP", ms(t0));
      gw.command("m-lamp1", new JsonObject().put("set", new JsonObject().put("brightness", 13)))
          .assertProblem(409, "DEVICE_OFFLINE");
    } finally {
      mosquitto.resume();
    }
    // AND after the broker resumes, round trips work again
    awaitMqttUp(nextRetry());
    LAMPS.forEach(id -> await().atMost(Duration.ofSeconds(30)).until(sim(id)::online));
    LAMPS.forEach(gw::awaitOnline);
    gw.set("m-lamp1", new JsonObject().put("brightness", 14));
  }

  /** The broker dies with commands in flight and comes back on the same port. */
  private void brokerKilledAndRestarted(String mode) {
    // GIVEN commands in flight to devices that answer late
    LAMPS.forEach(gw::awaitOnline);
    sim("m-lamp1").setFaults(SimFaults.NONE.withReplyDelayMs(1500));
    Map<String, String> commands = new LinkedHashMap<>(); // commandId → device
    try {
      int before = sim("m-lamp1").commandsReceived();
      JsonObject a = gw.command("m-lamp1", new JsonObject().put("wait", false).put("timeoutMs", 4000)
          .put("set", new JsonObject().put("brightness", 31)), "Idempotency-Key", "broker-" + mode).assertJson(202);
      commands.put(a.getString("commandId"), "m-lamp1");
      await().atMost(Duration.ofSeconds(10)).until(() -> sim("m-lamp1").commandsReceived() > before);

      // WHEN the broker is killed
      long t0 = System.nanoTime();
      mosquitto.kill();

      // THEN /health says mqtt is down within the bound, and commands are refused explicitly
      JsonObject down = await().atMost(DOWN_BOUND).pollInterval(Duration.ofMillis(20))
          .until(() -> gw.health(), r -> r.status() == 503).json();
      LOG.info("measured ({}): /health down {} ms after the kill", mode, ms(t0));
      assertEquals("down", down.getString("mqtt"), down::encode);
      gw.command("m-lamp2", new JsonObject().put("set", new JsonObject().put("power", true)))
          .assertProblem(409, "DEVICE_OFFLINE");

      // WHEN it comes back on the same port
      mosquitto.start();
      long t1 = System.nanoTime();

      // THEN the gateway reconnects at its next retry, within the bound for a short outage
      Duration next = nextRetry();
      awaitMqttUp(next.compareTo(RECONNECT_BOUND) < 0 ? next : RECONNECT_BOUND);
      LOG.info("measured ({}): reconnected {} ms after the broker accepted connections ({} ms outage)", mode,
          ms(t1), ms(t0));
      // AND the in-flight command ended explicitly, its retry is answered from the record
      for (Map.Entry<String, String> c : commands.entrySet()) {
        JsonObject done = gw.awaitTerminal(c.getValue(), c.getKey(), Duration.ofSeconds(10));
        assertNotNull(done.getString("completedAt"), done::encode);
        LOG.info("measured ({}): the in-flight command ended {} ({})", mode, done.getString("status"),
            done.getString("error"));
      }
      JsonObject again = gw.command("m-lamp1", new JsonObject().put("wait", false).put("timeoutMs", 4000)
          .put("set", new JsonObject().put("brightness", 31)), "Idempotency-Key", "broker-" + mode).assertJson(202);
      assertTrue(commands.containsKey(again.getString("commandId")), again::encode);
      // AND the devices come back, and round trips work (the gateway resubscribed)
      sim("m-lamp1").setFaults(SimFaults.NONE);
      for (String id : LAMPS) {
        await().atMost(Duration.ofSeconds(30)).until(sim(id)::online);
        gw.awaitOnline(id);
        gw.set(id, new JsonObject().put("brightness", 50));
      }
      Devices.assertNothingTwice(sim, LAMPS);
    } finally {
      sim("m-lamp1").setFaults(SimFaults.NONE);
      if (!mosquitto.running()) {
        mosquitto.start();
      }
    }
  }

  /** The retry delay the gateway last logged ("retryInMs: N") plus connect time: it connects by then. */
  private Duration nextRetry() {
    java.util.regex.Matcher m = RETRY_IN.matcher(gw.log());
    Duration delay = MAX_RETRY_DELAY;
    while (m.find()) {
      delay = Duration.ofMillis(Long.parseLong(m.group(1)));
    }
    return delay.plus(CONNECT_SLACK);
  }

  private void awaitMqttUp(Duration bound) {
    JsonObject up = await().atMost(bound).pollInterval(Duration.ofMillis(20))
        .until(() -> gw.health(), r -> r.status() == 200).json();
    assertEquals("up", up.getString("mqtt"), up::encode);
  }

  /** A hearth-convention state report of about {@code bytes} bytes (valid JSON, one long field). */
  static byte[] bigState(int bytes) {
    return ("{\"power\":true,\"brightness\":99,\"note\":\"" + "x".repeat(bytes) + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }
}
