package io.hearth.gateway.command;

import static io.hearth.gateway.command.CoreHarness.await;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.CommandReply;
import io.hearth.adapter.DeviceEvent;
import io.hearth.adapter.StateReport;
import io.hearth.gateway.TestTransports;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.core.GatewayCore;
import io.hearth.gateway.discovery.PendingDevices;
import io.hearth.gateway.state.Availability;
import io.hearth.gateway.state.AvailabilityTimeouts;
import io.hearth.gateway.store.CommandStatus;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tier 2: the gateway core's sink as the adapters drive it, for sleepy devices: every kind of
 * message counts as the device being heard (availability clock, waiting commands), a retained
 * replay does not, and devices timed out by their silence are exempt from the start's
 * {@code restart} verdict. The harness's "hall" is a Zigbee2MQTT bulb (timed out, 10 min), "lamp"
 * a hearth one (not).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SleepyCoreTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private CoreHarness h;
  private AvailabilityTimeouts timeouts;
  private GatewayCore core;

  @BeforeEach
  void setUp(Vertx vertx) {
    h = new CoreHarness(vertx);
    // a check far apart: the test runs it by hand after moving the clock
    timeouts = new AvailabilityTimeouts(vertx, h.clock, h.states, new GatewayConfig.Availability(10, 1500, 3_600_000));
    core = new GatewayCore(vertx, h.registry, h.states, h.service, h.hub, TestTransports.standard(),
        Map.of("mqtt", h.mqtt, "coap", h.coap), timeouts, 50,
        new PendingDevices(h.registry, TestTransports.standard(), 10));
    h.on(() -> core.start(Map.of()));
  }

  private Availability availability(String id) {
    return h.get(() -> h.states.availability(id));
  }

  private int check() {
    return h.get(timeouts::check);
  }

  @Test
  void aTimedOutDeviceIsNotMarkedRestartAfterTheGrace() {
    await().atMost(WAIT).until(() -> availability("lamp") == Availability.OFFLINE);
    assertEquals("restart", h.view("lamp").reason());
    assertEquals(Availability.UNKNOWN, availability("hall"), "its own clock decides, from the start");
    h.clock.advance(Duration.ofMinutes(11));
    assertEquals(1, check());
    assertEquals("timeout", h.view("hall").reason());
  }

  @Test
  void everyKindOfMessageCountsAsHeardButARetainedReplayDoesNot() {
    h.run(() -> core.stateReported(new StateReport("hall", Map.of("power", true), h.clock.instant(), false)));
    // a retained replay 8 min later does not reset the clock
    h.clock.advance(Duration.ofMinutes(8));
    h.run(() -> core.stateReported(new StateReport("hall", Map.of("power", true), h.clock.instant(), true)));
    h.clock.advance(Duration.ofMinutes(3));
    assertEquals(1, check());
    assertEquals("timeout", h.view("hall").reason());

    // an event (not in the profile, even) brings it back, restarts the clock and moves lastSeen
    h.run(() -> core.eventEmitted(new DeviceEvent("hall", "button", Map.of(), h.clock.instant())));
    assertTrue(h.view("hall").online());
    assertEquals(h.clock.instant(), h.view("hall").lastSeen());
    h.clock.advance(Duration.ofMinutes(9));
    // a reply (to no command) and an availability online do too
    h.run(() -> core.commandReplied(new CommandReply("hall", "no-such-command", true, null, Map.of())));
    h.clock.advance(Duration.ofMinutes(9));
    h.run(() -> core.availabilityChanged("hall", true, null));
    h.clock.advance(Duration.ofMinutes(9));
    assertEquals(0, check());
    assertTrue(h.view("hall").online());
  }

  @Test
  void aBridgeComingBackWakesMainsDevicesButNotSleepingOnes() {
    // GIVEN a battery valve behind the same (Zigbee2MQTT) bridge as the hall bulb
    h.on(() -> h.registry.add(new io.hearth.device.DeviceDefinition("trv", null, null, "thermostat",
        new io.hearth.adapter.mqtt.MqttBinding("zigbee2mqtt", "trv", null), io.hearth.device.PowerSource.BATTERY,
        null)));
    // AND the bridge died: both are offline with reason bridge_offline, and each has a waiting command
    h.run(() -> core.availabilityChanged("hall", false, "bridge_offline"));
    h.run(() -> core.availabilityChanged("trv", false, "bridge_offline"));
    CommandRequest on = new CommandRequest(Map.of("power", true), null, null, null, false, "nextWake", null);
    String hallCid = (String) await(h.submit("hall", on)).body().getMap().get("commandId");
    String trvCid = (String) await(h.submit("trv", new CommandRequest(Map.of("target_temp", 20.0), null, null, null,
        false, "nextWake", null))).body().getMap().get("commandId");

    // WHEN the bridge is back (the adapter reports each device online again)
    h.run(() -> core.availabilityChanged("hall", true, null));
    h.run(() -> core.availabilityChanged("trv", true, null));

    // THEN the mains bulb gets its command; the valve's waits for the valve itself
    await().atMost(WAIT).until(() -> h.mqtt.sentIds().contains(hallCid));
    assertTrue(h.get(() -> h.service.waitsUntil(trvCid)) != null);
    h.run(() -> core.stateReported(new StateReport("trv", Map.of("current_temp", 19.0), h.clock.instant(), false)));
    await().atMost(WAIT).until(() -> h.mqtt.sentIds().contains(trvCid));
  }

  @Test
  void aWaitingCommandGoesOutOnTheDevicesNextEvent() {
    h.run(() -> core.availabilityChanged("lamp", false, "lwt"));
    String cid = (String) await(h.submit("lamp", new CommandRequest(Map.of("power", true), null, null, null, false,
        "nextWake", null))).body().getMap().get("commandId");
    assertTrue(h.mqtt.sent.isEmpty());

    h.run(() -> core.eventEmitted(new DeviceEvent("lamp", "overheat", Map.of("temp", 80.0), h.clock.instant())));

    await().atMost(WAIT).until(() -> h.mqtt.sentIds().contains(cid));
    h.run(() -> core.commandReplied(new CommandReply("lamp", cid, true, null, Map.of())));
    assertEquals(CommandStatus.SUCCEEDED, h.find("lamp", cid).status());
  }
}
