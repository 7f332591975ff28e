package io.hearth.gateway.state;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.StateReport;
import io.hearth.adapter.coap.CoapBinding;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.PowerSource;
import io.hearth.device.Profile;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.events.EventHub;
import io.hearth.gateway.events.GatewayEvent;
import io.hearth.gateway.profile.ProfileLoader;
import io.hearth.gateway.store.DeviceStateSnapshot;
import io.hearth.gateway.testing.MovingClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tier 1 (and one check on a real Vert.x timer): {@link AvailabilityTimeouts} and
 * {@link AvailabilityPolicy} with a moving clock — Zigbee2MQTT's defaults per power source, any
 * message resets the clock, back online on the next one, and a restart starts every clock again.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AvailabilityTimeoutsTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final Profile LIGHT = ProfileLoader.loadFolder(Path.of("../config/profiles")).get("light.dimmable");
  private static final DeviceDefinition BULB = new DeviceDefinition("bulb", null, null, "light.dimmable",
      new MqttBinding("zigbee2mqtt", "bulb", null));
  private static final DeviceDefinition SENSOR = new DeviceDefinition("sensor", null, null, "sensor.contact",
      new MqttBinding("zigbee2mqtt", "sensor", null), PowerSource.BATTERY, null);
  private static final DeviceDefinition LAMP = new DeviceDefinition("lamp", null, null, "light.dimmable",
      new MqttBinding("hearth", null, null));

  private final MovingClock clock = new MovingClock(T0);
  private final List<GatewayEvent> events = new CopyOnWriteArrayList<>();
  private DeviceStates states;
  private AvailabilityTimeouts timeouts;
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    EventHub hub = new EventHub(clock, 100);
    hub.addListener(events::add);
    states = new DeviceStates(clock, hub, s -> { }, p -> { });
    vertx = Vertx.vertx();
    timeouts = new AvailabilityTimeouts(vertx, clock, states, GatewayConfig.Availability.DEFAULTS);
    for (DeviceDefinition d : List.of(BULB, SENSOR, LAMP)) {
      states.track(d.id(), null);
      timeouts.track(d, null);
    }
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  private void advance(Duration d) {
    clock.advance(d);
  }

  private void report(String id) {
    states.applyReport(new StateReport(id, Map.of("power", true), clock.instant(), false), LIGHT);
    timeouts.heard(id);
  }

  private DeviceView view(String id) {
    return states.view(id).orElseThrow();
  }

  @Test
  void thePolicyFollowsZigbee2mqttsDefaults() {
    AvailabilityPolicy policy = new AvailabilityPolicy(GatewayConfig.Availability.DEFAULTS);
    assertEquals(10, policy.timeoutMin(BULB), "a Zigbee2MQTT device is mains unless it says otherwise");
    assertEquals(1500, policy.timeoutMin(SENSOR), "battery: 25 h");
    assertEquals(0, policy.timeoutMin(LAMP), "other devices only when they declare it");
    assertEquals(PowerSource.MAINS, AvailabilityPolicy.powerSource(BULB));
    assertEquals(null, AvailabilityPolicy.powerSource(LAMP));
    DeviceDefinition coapBattery = new DeviceDefinition("c", null, null, "thermostat",
        CoapBinding.hearth("coap://127.0.0.1:5701"), PowerSource.BATTERY, null);
    assertEquals(1500, policy.timeoutMin(coapBattery));
    assertTrue(AvailabilityPolicy.sleepy(coapBattery));
    assertFalse(AvailabilityPolicy.sleepy(BULB));
    DeviceDefinition own = new DeviceDefinition("o", null, null, "light.dimmable",
        new MqttBinding("hearth", null, null), null, 3);
    assertEquals(3, policy.timeoutMin(own));
    DeviceDefinition off = new DeviceDefinition("z", null, null, "light.dimmable",
        new MqttBinding("zigbee2mqtt", "z", null), PowerSource.MAINS, 0);
    assertEquals(0, policy.timeoutMin(off), "0: never timed out (e.g. Zigbee2MQTT's own availability is on)");
    assertEquals(2, timeouts.size(), "lamp is not watched");
  }

  @Test
  void aMainsDeviceSilentPastTenMinutesIsOfflineWithReasonTimeout() {
    report("bulb");
    advance(Duration.ofMinutes(10));
    assertEquals(0, timeouts.check(), "not past 10 min yet");
    assertTrue(view("bulb").online());

    advance(Duration.ofSeconds(1));
    assertEquals(1, timeouts.check());
    assertEquals(Availability.OFFLINE, view("bulb").availability());
    assertEquals("timeout", view("bulb").reason());
    GatewayEvent last = events.get(events.size() - 1);
    assertEquals(GatewayEvent.AVAILABILITY, last.kind());
    assertEquals(Map.of("online", false, "reason", "timeout"), last.data());
    assertEquals(0, timeouts.check(), "marked once");
  }

  @Test
  void anyMessageResetsTheClock() {
    report("bulb");
    advance(Duration.ofMinutes(9));
    timeouts.heard("bulb"); // e.g. an event or a command reply
    advance(Duration.ofMinutes(9));
    assertEquals(0, timeouts.check());
    assertTrue(view("bulb").online());
  }

  @Test
  void aBatteryDeviceHasTwentyFiveHours() {
    report("sensor");
    advance(Duration.ofHours(24));
    timeouts.check();
    assertTrue(view("sensor").online());
    advance(Duration.ofMinutes(61));
    timeouts.check();
    assertEquals("timeout", view("sensor").reason());
  }

  @Test
  void theNextMessageBringsItBackOnline() {
    report("bulb");
    advance(Duration.ofMinutes(11));
    timeouts.check();
    assertFalse(view("bulb").online());

    // an event (no state): the gateway core calls heard()
    timeouts.heard("bulb");
    assertTrue(view("bulb").online());
    assertEquals(Map.of("online", true), events.get(events.size() - 1).data());
  }

  @Test
  void anotherOfflineReasonIsKept() {
    report("bulb");
    states.availabilityChanged("bulb", false, "lwt");
    advance(Duration.ofMinutes(11));
    assertEquals(0, timeouts.check());
    assertEquals("lwt", view("bulb").reason());
    timeouts.heard("bulb"); // heard, but the lwt verdict is the adapter's to lift
    assertEquals("lwt", view("bulb").reason());
  }

  @Test
  void aDeviceNeverHeardFromIsTimedOutOnlyAfterAWholeTimeout() {
    advance(Duration.ofMinutes(9));
    assertEquals(0, timeouts.check());
    assertEquals(Availability.UNKNOWN, view("bulb").availability());
    advance(Duration.ofMinutes(2));
    assertEquals(1, timeouts.check());
    assertEquals("timeout", view("bulb").reason());
  }

  @Test
  void afterARestartEveryClockStartsAgainAndARecentDeviceIsOnlineAtOnce() {
    // GIVEN what the last run stored: the bulb online 5 min ago, the sensor online 30 h ago
    DeviceStateSnapshot bulb = new DeviceStateSnapshot("bulb", Map.of(), Map.of(), Map.of(), 3, true, null,
        T0.minus(Duration.ofMinutes(5)));
    DeviceStateSnapshot sensor = new DeviceStateSnapshot("sensor", Map.of(), Map.of(), Map.of(), 3, true, null,
        T0.minus(Duration.ofHours(30)));

    // WHEN the gateway starts
    states.track("bulb", bulb);
    states.track("sensor", sensor);
    timeouts.track(BULB, bulb);
    timeouts.track(SENSOR, sensor);

    // THEN the bulb is online (last seen within its timeout), the sensor is not known yet
    assertTrue(view("bulb").online());
    assertEquals(T0.minus(Duration.ofMinutes(5)), view("bulb").lastSeen(), "its last-seen time is kept");
    assertEquals(Availability.UNKNOWN, view("sensor").availability());
    // and no clock counts from before the start: 9 min later nothing is timed out
    advance(Duration.ofMinutes(9));
    assertEquals(0, timeouts.check());
    advance(Duration.ofMinutes(2));
    assertEquals(1, timeouts.check(), "the bulb, a whole timeout after the start");
    assertEquals(Availability.UNKNOWN, view("sensor").availability(), "the sensor has 25 h from the start");
  }

  @Test
  void thePeriodicCheckRunsOnItsOwn() {
    AvailabilityTimeouts fast = new AvailabilityTimeouts(vertx, clock, states,
        new GatewayConfig.Availability(10, 1500, 100));
    java.util.concurrent.CompletableFuture<Void> started = new java.util.concurrent.CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      fast.track(BULB, null);
      fast.start();
      started.complete(null);
    });
    started.orTimeout(5, TimeUnit.SECONDS).join();
    advance(Duration.ofMinutes(11));
    await().atMost(Duration.ofSeconds(5)).until(() -> events.stream()
        .anyMatch(e -> e.kind().equals(GatewayEvent.AVAILABILITY) && "timeout".equals(e.data().get("reason"))));
    vertx.getOrCreateContext().runOnContext(v -> fast.stop());
  }
}
