package io.hearth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.sim.behavior.Behavior;
import io.hearth.sim.behavior.Behaviors;
import io.hearth.sim.behavior.DeviceHost;
import io.hearth.sim.behavior.Outcome;
import io.hearth.sim.behavior.Prop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Behaviours, validation and the devices file, without a network. */
@Timeout(10)
class BehaviorTest {

  private static Behavior attached(String profile) {
    Behavior b = Behaviors.create(profile);
    b.attach(new DeviceHost() {
      @Override public void stateChanged() { }
      @Override public void emitEvent(String name, Map<String, Object> data) { }
      @Override public long schedule(long delayMs, Runnable task) { return 1; }
      @Override public void cancel(long timerId) { }
      @Override public Random random() { return new Random(1); }
      @Override public boolean jammed() { return false; }
    });
    return b;
  }

  @Test
  void propValidation() {
    Prop p = Prop.number("target_temp", 5.0, 35.0, 0.5, true);
    assertEquals(21.5, p.coerce(21.5));
    assertThrows(IllegalArgumentException.class, () -> p.coerce(21.3));
    assertThrows(IllegalArgumentException.class, () -> p.coerce(35.5));
    assertThrows(IllegalArgumentException.class, () -> p.coerce("21"));
    Prop i = Prop.integer("brightness", 0, 100, true);
    assertEquals(60, i.coerce(60.0));
    assertThrows(IllegalArgumentException.class, () -> i.coerce(60.5));
    assertThrows(IllegalArgumentException.class, () -> i.coerce(true));
  }

  @Test
  void setIsAllOrNothing() {
    Behavior light = attached("light.dimmable");
    Outcome o = light.set(Map.of("power", true, "brightness", 150));
    assertFalse(o.ok());
    assertTrue(o.error().contains("brightness"));
    assertEquals(false, light.snapshot().get("power"));
  }

  @Test
  void plugDrawsWhenOnAndAccumulates() {
    Behavior plug = attached("plug");
    assertTrue(plug.set(Map.of("power", true)).ok());
    double w = (Double) plug.snapshot().get("power_w");
    assertTrue(w > 55 && w < 65, "draw " + w);
    plug.tick(3_600_000);
    assertTrue((Double) plug.snapshot().get("energy_kwh") > 0.05);
    assertTrue(plug.set(Map.of("power", false)).ok());
    assertEquals(0.0, plug.snapshot().get("power_w"));
    assertFalse(plug.set(Map.of("power_w", 3.0)).ok());
  }

  @Test
  void thermostatOffDriftsToAmbient() {
    Behavior t = attached("thermostat");
    assertTrue(t.set(Map.of("mode", "off")).ok());
    t.tick(600_000);
    assertEquals(18.0, t.snapshot().get("current_temp"));
    assertFalse(t.set(Map.of("mode", "eco")).ok());
  }

  @Test
  void devicesFileWithSimSection(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("d.yaml");
    Files.writeString(f, "devices:\n"
        + "  - id: a\n    profile: plug\n    binding: { protocol: mqtt, convention: tasmota, topic: t1,"
        + " credentials: { username: u, password: p } }\n"
        + "    sim: { reportIntervalMs: 5000, replyDelayMs: 20, dropReplies: true, reject: false, jammed: true }\n"
        + "  - { id: b, profile: lock, binding: { protocol: mqtt } }\n");
    List<SimDeviceSpec> specs = SimDevices.load(f);
    SimDeviceSpec a = specs.get(0);
    assertEquals(new SimFaults(20, 1.0, false, true), a.faults());
    assertEquals(5000, a.reportIntervalMs());
    assertEquals("u", a.username());
    assertFalse(a.toString().contains("p,"), a.toString());
    assertEquals("hearth", specs.get(1).convention());
    assertEquals("b", specs.get(1).topic());
    Files.writeString(f, "devices:\n  - { id: a, profile: toaster, binding: { protocol: mqtt } }\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimDevices.load(f));
    assertTrue(e.getMessage().contains("devices[0]") && e.getMessage().contains("toaster"), e.getMessage());
  }

  @Test
  void devicesFileBridgesAndFirmwareSettings(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("d.yaml");
    Files.writeString(f, "bridges:\n"
        + "  - { id: hub, convention: zigbee2mqtt, baseTopic: z, sim: { legacyAvailabilityPayload: true } }\n"
        + "devices:\n"
        + "  - { id: p, profile: plug, binding: { protocol: mqtt, convention: tasmota },"
        + " sim: { mac: 5CCF7F000001, setOption90: true, replyDelayMs: 5 } }\n"
        + "  - { id: l, profile: lock, binding: { protocol: mqtt, convention: zigbee2mqtt, bridge: hub, topic: door } }\n");
    List<SimDeviceSpec> specs = SimDevices.load(f);
    assertEquals(List.of("hub", "p"), specs.stream().map(SimDeviceSpec::id).toList());
    SimDeviceSpec hub = specs.get(0);
    assertTrue(hub.isBridge());
    assertEquals("z", hub.topic());
    assertEquals(true, hub.firmware("legacyAvailabilityPayload", false));
    assertEquals("door", hub.children().get(0).topic());
    assertEquals(Map.of("mac", "5CCF7F000001", "setOption90", true), specs.get(1).firmware()); // faults are not firmware
    assertEquals(5, specs.get(1).faults().replyDelayMs());
    Files.writeString(f, "devices:\n"
        + "  - { id: l, profile: lock, binding: { protocol: mqtt, convention: zigbee2mqtt, bridge: nope } }\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SimDevices.load(f));
    assertTrue(e.getMessage().contains("devices[0]") && e.getMessage().contains("nope"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SimDeviceSpec.zigbee2mqttBridge("b", null,
        List.of(SimDeviceSpec.mqtt("x", "plug"))));
  }
}
