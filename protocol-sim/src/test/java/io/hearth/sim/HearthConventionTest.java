package io.hearth.sim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Simulated hearth-convention devices against a real broker, driven by a Paho "gateway". */
@Timeout(60)
class HearthConventionTest {

  private static EmbeddedBroker broker;
  private Simulator sim;
  private GatewaySide gw;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = EmbeddedBroker.start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @BeforeEach
  void startDevices() throws Exception {
    gw = new GatewaySide(broker.url(), "hearth/#");
    sim = Simulator.start(SimOptions.defaults(broker.url()), List.of(
        SimDeviceSpec.mqtt("lamp", "light.dimmable"),
        SimDeviceSpec.mqtt("door-lock", "lock"),
        SimDeviceSpec.mqtt("blind", "curtain"),
        SimDeviceSpec.mqtt("door", "sensor.contact"),
        SimDeviceSpec.mqtt("heat", "thermostat").withReportIntervalMs(100)));
  }

  @AfterEach
  void stop() throws Exception {
    sim.close();
    gw.close();
  }

  @Test
  void startPublishesRetainedStateAndOnline() throws Exception {
    // GIVEN a gateway that subscribes after the devices started
    try (GatewaySide late = new GatewaySide(broker.url(), "hearth/lamp/#")) {
      // THEN it gets the retained state and availability
      GatewaySide.Msg state = late.expect("hearth/lamp/state", p -> p.contains("\"brightness\""));
      assertTrue(state.retained());
      assertTrue(late.expect("hearth/lamp/availability", "online"::equals).retained());
    }
  }

  @Test
  void setPublishesStateThenReply() throws Exception {
    gw.send("hearth/lamp/set", "{\"cid\":\"c1\",\"props\":{\"power\":true,\"brightness\":60}}");
    GatewaySide.Msg reply = gw.expect("hearth/lamp/reply", p -> p.contains("\"c1\""));
    assertEquals("{\"cid\":\"c1\",\"ok\":true}", reply.payload());
    GatewaySide.Msg state = gw.expect("hearth/lamp/state", p -> p.contains("\"brightness\":60"));
    assertTrue(gw.indexOf(state) < gw.indexOf(reply), "state must come before the reply");
    assertEquals(60, sim.device("lamp").state().get("brightness"));
    assertEquals(List.of("c1"), sim.device("lamp").receivedCommandIds());
  }

  @Test
  void invalidCommandsAreRefusedAndNotApplied() throws Exception {
    gw.send("hearth/lamp/set", "{\"cid\":\"r1\",\"props\":{\"brightness\":101}}");
    gw.send("hearth/lamp/set", "{\"cid\":\"r2\",\"props\":{\"brightness\":\"high\"}}");
    gw.send("hearth/lamp/set", "{\"cid\":\"r3\",\"props\":{\"volume\":3}}");
    gw.send("hearth/door/set", "{\"cid\":\"r4\",\"props\":{\"open\":true}}");
    gw.send("hearth/lamp/action/dance", "{\"cid\":\"r5\",\"input\":{}}");
    gw.send("hearth/lamp/action/blink", "{\"cid\":\"r6\",\"input\":{\"times\":11}}");
    assertTrue(gw.expect("hearth/lamp/reply", p -> p.contains("\"r1\"")).payload().contains("\"ok\":false"));
    assertTrue(gw.expect("hearth/lamp/reply", p -> p.contains("\"r2\"")).payload().contains("integer"));
    assertTrue(gw.expect("hearth/lamp/reply", p -> p.contains("\"r3\"")).payload().contains("unknown property"));
    assertTrue(gw.expect("hearth/door/reply", p -> p.contains("\"r4\"")).payload().contains("read-only"));
    assertTrue(gw.expect("hearth/lamp/reply", p -> p.contains("\"r5\"")).payload().contains("unknown action"));
    assertTrue(gw.expect("hearth/lamp/reply", p -> p.contains("\"r6\"")).payload().contains("\"ok\":false"));
    assertEquals(100, sim.device("lamp").state().get("brightness"));
  }

  @Test
  void rejectFaultAnswersOkFalse() throws Exception {
    sim.device("lamp").setFaults(SimFaults.NONE.withReject(true));
    gw.send("hearth/lamp/set", "{\"cid\":\"x1\",\"props\":{\"power\":true}}");
    GatewaySide.Msg reply = gw.expect("hearth/lamp/reply", p -> p.contains("\"x1\""));
    assertTrue(reply.payload().contains("\"ok\":false") && reply.payload().contains("\"error\""));
    assertEquals(false, sim.device("lamp").state().get("power"));
  }

  @Test
  void duplicateCidIsAppliedOnceAndAnsweredAgain() throws Exception {
    // GIVEN a toggle-like action that would show a second application
    gw.send("hearth/blind/set", "{\"cid\":\"d1\",\"props\":{\"position\":30}}");
    gw.expect("hearth/blind/reply", p -> p.contains("\"d1\""));
    await().atMost(Duration.ofSeconds(5)).until(() -> sim.device("blind").state().get("position").equals(30));
    sim.device("blind").setState(Map.of("position", 0)); // someone moved it by hand
    gw.clear();
    // WHEN the same command id arrives again (a QoS 1 redelivery)
    gw.send("hearth/blind/set", "{\"cid\":\"d1\",\"props\":{\"position\":30}}");
    // THEN it is answered with the first outcome and not applied again
    gw.expect("hearth/blind/reply", p -> p.contains("\"d1\"") && p.contains("\"ok\":true"));
    assertEquals(0, sim.device("blind").state().get("position"));
    assertEquals(List.of("d1", "d1"), sim.device("blind").receivedCommandIds());
  }

  @Test
  void dropRepliesAppliesButNeverAnswers() throws Exception {
    sim.device("lamp").setFaults(SimFaults.NONE.withDropReplies(true));
    gw.send("hearth/lamp/set", "{\"cid\":\"q1\",\"props\":{\"brightness\":7}}");
    gw.expect("hearth/lamp/state", p -> p.contains("\"brightness\":7"));
    // a later command's reply proves the first one's would have arrived by now
    sim.device("lamp").setFaults(SimFaults.NONE);
    gw.send("hearth/lamp/set", "{\"cid\":\"q2\",\"props\":{\"brightness\":8}}");
    gw.expect("hearth/lamp/reply", p -> p.contains("\"q2\""));
    assertTrue(gw.on("hearth/lamp/reply").stream().noneMatch(m -> m.payload().contains("\"q1\"")));
  }

  @Test
  void replyDelayHoldsTheAnswer() throws Exception {
    sim.device("lamp").setFaults(SimFaults.NONE.withReplyDelayMs(700));
    long t0 = System.nanoTime();
    gw.send("hearth/lamp/set", "{\"cid\":\"w1\",\"props\":{\"power\":true}}");
    gw.expect("hearth/lamp/reply", p -> p.contains("\"w1\""));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms >= 650, "reply after " + ms + " ms");
  }

  @Test
  void offlineWithWillMakesTheBrokerPublishOffline() throws Exception {
    SimDevice lamp = sim.device("lamp");
    lamp.goOffline(true);
    assertFalse(lamp.online());
    try (GatewaySide late = new GatewaySide(broker.url(), "hearth/lamp/availability")) {
      GatewaySide.Msg m = late.expect("hearth/lamp/availability", "offline"::equals);
      assertTrue(m.retained());
    }
    lamp.goOnline();
    assertTrue(lamp.online());
    long t0 = System.nanoTime();
    lamp.goOnline(); // already online: returns at once
    assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
    gw.expect("hearth/lamp/availability", "online"::equals);
    try (GatewaySide late = new GatewaySide(broker.url(), "hearth/lamp/availability")) {
      late.expect("hearth/lamp/availability", "online"::equals);
    }
  }

  @Test
  void offlineWithoutWillPublishesOfflineItself() throws Exception {
    sim.device("door").goOffline(false);
    GatewaySide.Msg m = gw.expect("hearth/door/availability", "offline"::equals);
    assertFalse(sim.device("door").online());
    // commands while offline are not received
    gw.send("hearth/door/set", "{\"cid\":\"z\",\"props\":{}}");
    sim.device("door").goOnline();
    assertEquals(0, sim.device("door").commandsReceived());
    assertTrue(m.payload().equals("offline"));
  }

  @Test
  void reconnectsAfterLosingItsConnection() throws Exception {
    // GIVEN a connected lamp
    SimDevice lamp = sim.device("lamp");
    gw.clear();
    // WHEN another client takes over its session (the broker drops the lamp's connection)
    org.eclipse.paho.mqttv5.client.MqttClient intruder = new org.eclipse.paho.mqttv5.client.MqttClient(
        broker.url(), "lamp", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    intruder.connect();
    // THEN the lamp comes back on its own, announces itself and answers commands again
    gw.expect("hearth/lamp/availability", "online"::equals, Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(5)).until(lamp::online);
    gw.send("hearth/lamp/set", "{\"cid\":\"after\",\"props\":{\"power\":true}}");
    gw.expect("hearth/lamp/reply", p -> p.contains("\"after\""));
    intruder.close(true);
  }

  @Test
  void jammedLockRefusesAndEmitsEvent() throws Exception {
    sim.device("door-lock").setFaults(SimFaults.NONE.withJammed(true));
    gw.send("hearth/door-lock/set", "{\"cid\":\"j1\",\"props\":{\"locked\":false}}");
    assertTrue(gw.expect("hearth/door-lock/reply", p -> p.contains("\"j1\"")).payload().contains("jammed"));
    gw.expect("hearth/door-lock/event/jammed", p -> p.contains("\"locked\":true"));
    assertEquals(true, sim.device("door-lock").state().get("locked"));
  }

  @Test
  void curtainMovesInStepsAndStops() throws Exception {
    gw.send("hearth/blind/action/open", "{\"cid\":\"o1\"}");
    gw.expect("hearth/blind/reply", p -> p.contains("\"o1\"") && p.contains("true"));
    gw.expect("hearth/blind/state", p -> p.contains("\"position\":20"));
    gw.send("hearth/blind/action/stop", "{\"cid\":\"o2\",\"input\":{}}");
    gw.expect("hearth/blind/reply", p -> p.contains("\"o2\""));
    int stoppedAt = (Integer) sim.device("blind").state().get("position");
    assertTrue(stoppedAt > 0 && stoppedAt < 100, "stopped at " + stoppedAt);
    // no further movement: a later command's reply arrives while the position stays put
    gw.send("hearth/blind/action/stop", "{\"cid\":\"o3\"}");
    gw.expect("hearth/blind/reply", p -> p.contains("\"o3\""));
    assertEquals(stoppedAt, sim.device("blind").state().get("position"));
  }

  @Test
  void thermostatDriftsTowardTarget() throws Exception {
    gw.send("hearth/heat/set", "{\"cid\":\"t1\",\"props\":{\"target_temp\":30.0,\"mode\":\"heat\"}}");
    gw.expect("hearth/heat/reply", p -> p.contains("\"t1\"") && p.contains("true"));
    double start = ((Number) sim.device("heat").state().get("current_temp")).doubleValue();
    await().atMost(Duration.ofSeconds(5)).until(
        () -> ((Number) sim.device("heat").state().get("current_temp")).doubleValue() > start);
    gw.send("hearth/heat/set", "{\"cid\":\"t2\",\"props\":{\"target_temp\":21.3}}");
    assertTrue(gw.expect("hearth/heat/reply", p -> p.contains("\"t2\"")).payload().contains("multiple of 0.5"));
  }

  @Test
  void localChangesEventsAndRawPublishes() throws Exception {
    SimDevice door = sim.device("door");
    door.setState(Map.of("open", true));
    gw.expect("hearth/door/state", p -> p.contains("\"open\":true"));
    assertThrows(IllegalArgumentException.class, () -> door.setState(Map.of("open", "yes")));
    sim.device("lamp").emitEvent("overheat", Map.of("temp", 81.5));
    gw.expect("hearth/lamp/event/overheat", p -> p.contains("81.5"));
    door.publishRaw(null, "{not json".getBytes(StandardCharsets.UTF_8));
    gw.expect("hearth/door/state", "{not json"::equals);
  }
}
