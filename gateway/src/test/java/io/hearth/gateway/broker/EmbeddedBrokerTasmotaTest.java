package io.hearth.gateway.broker;

import static io.hearth.gateway.broker.BrokerTestSupport.AUTHORIZER;
import static io.hearth.gateway.broker.BrokerTestSupport.HOST;
import static io.hearth.gateway.broker.BrokerTestSupport.awaitResult;
import static io.hearth.gateway.broker.BrokerTestSupport.password;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.adapter.mqtt.MqttConventions;
import io.hearth.adapter.mqtt.TopicPermissions;
import io.hearth.device.DeviceDefinition;
import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimOptions;
import io.hearth.sim.Simulator;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Tasmota device with the firmware's default settings (the simulator's firmware-faithful one:
 * MQTT 3.1.1, the empty {@code cmnd/<t>/POWER} at every connect, retained discovery config, the
 * group and fallback subscriptions) on the embedded broker with the Tasmota convention's ACL: it
 * stays connected, nothing is dropped or refused, and it takes a command.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EmbeddedBrokerTasmotaTest {

  private static final String USER = "tas-sim";
  private static final String PASSWORD = "secret-tas-sim";
  private static final String T = "tas_sim";
  private static final String MAC = "5CCF7F123456";

  @TempDir Path dataDir;

  @Test
  void tasmotaWithDefaultFirmwareSettingsStaysOnline() throws Exception {
    TopicPermissions tasmota = MqttConventions.permissionsFor(
        new DeviceDefinition(USER, null, null, "plug", new MqttBinding("tasmota", T, null)));
    BrokerAuthorizer authorizer = (clientId, user, pw) -> USER.equals(user)
        ? (PASSWORD.equals(pw == null ? null : new String(pw, java.nio.charset.StandardCharsets.UTF_8))
            ? Optional.of(tasmota) : Optional.empty())
        : AUTHORIZER.authorize(clientId, user, pw);
    Vertx vertx = Vertx.vertx();
    EmbeddedBroker broker = new EmbeddedBroker(
        BrokerOptions.defaults(HOST, BrokerTestSupport.freePort(), false, dataDir), authorizer);
    awaitResult(broker.start(vertx));
    SimDeviceSpec spec = SimDeviceSpec.tasmota(USER, "plug", T, MAC).withCredentials(USER, PASSWORD)
        .withFirmware("discoveryDelayMs", 200).withFirmware("telePeriodMs", 300);
    try (BrokerLogs logs = new BrokerLogs();
        TestClient gateway = TestClient.connect(broker.url(), "gw-tas", "gateway", password("gateway"))) {
      assertEquals(0, gateway.subscribe("#", 0)[0]);
      try (Simulator sim = Simulator.start(SimOptions.defaults(broker.url()), List.of(spec))) {
        // GIVEN the device connected: LWT Online, the empty POWER, INFO, discovery, telemetry
        List<TestClient.Received> seen = new ArrayList<>();
        awaitMessage(gateway, seen, m -> m.topic().equals("tasmota/discovery/" + MAC + "/config"));
        // WHEN several telemetry periods pass (a client kicked for the empty POWER came back within them)
        for (int i = 0; i < 4; i++) {
          awaitMessage(gateway, seen, m -> m.topic().equals("tele/" + T + "/STATE"));
        }
        // THEN it connected once and never went offline, and the broker dropped and refused nothing
        List<String> lwt = seen.stream().filter(m -> m.topic().equals("tele/" + T + "/LWT"))
            .map(TestClient.Received::payload).toList();
        assertEquals(List.of("Online"), lwt, seen::toString);
        assertTrue(seen.stream().anyMatch(m -> m.topic().equals("cmnd/" + T + "/POWER") && m.payload().isEmpty()),
            seen::toString);
        assertEquals(0, broker.stats().publishesDenied());
        assertEquals(0, broker.stats().subscriptionsDenied());
        assertEquals(0, broker.stats().connectionsRefused());
        assertEquals(List.of(), logs.lines(Level.WARN));
        // AND it takes a command
        gateway.publish("cmnd/" + T + "/POWER", "ON", 1, false);
        TestClient.Received result = awaitMessage(gateway, seen, m -> m.topic().equals("stat/" + T + "/RESULT"));
        assertTrue(result.payload().contains("\"POWER\":\"ON\""), result::payload);
        gateway.publish("tasmota/discovery/" + MAC + "/config", new byte[0], 1, true); // clear the retained config
      }
    } finally {
      awaitResult(broker.stop(vertx));
      awaitResult(vertx.close());
    }
  }

  /** Waits for the first message matching {@code wanted}; every message taken is added to {@code seen}. */
  private static TestClient.Received awaitMessage(TestClient client, List<TestClient.Received> seen,
      Predicate<TestClient.Received> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      TestClient.Received m = client.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (m == null) {
        break;
      }
      seen.add(m);
      if (wanted.test(m)) {
        return m;
      }
    }
    assertNotNull(null, "no matching message within 20 s; seen: " + seen);
    return null;
  }
}
