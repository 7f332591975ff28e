package io.hearth.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.Transports;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.adapter.mqtt.MqttBridge;
import io.hearth.adapter.mqtt.MqttConventions;
import io.hearth.adapter.mqtt.MqttTransport;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.hearth.gateway.TestTransports;
import io.hearth.gateway.config.ConfigException;
import io.hearth.gateway.profile.ProfileLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tier 1: {@code bridges:} in devices.yaml and {@code binding.bridge} (docs/devices.md, "Bridges"). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BridgeFileTest {
  private static Map<String, Profile> profiles;

  @TempDir
  Path dir;

  @BeforeAll
  static void loadProfiles() {
    profiles = ProfileLoader.loadFolder(Path.of("../config/profiles"));
  }

  private Path file(String yaml) throws IOException {
    Path f = dir.resolve("devices.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void devicesBehindABridgeUseItsBaseTopic() throws IOException {
    // GIVEN a bridge with its own base topic and two devices behind it, and a stand-alone z2m device
    Transports transports = TestTransports.standard();
    Path f = file("""
        bridges:
          - { id: hub, convention: zigbee2mqtt, baseTopic: home/z2m,
              credentials: { username: hub-user, password: s3cret-pass } }
        devices:
          - { id: hall-light, profile: light.dimmable,
              binding: { protocol: mqtt, convention: zigbee2mqtt, bridge: hub, topic: hall_light } }
          - { id: front-lock, profile: lock,
              binding: { protocol: mqtt, convention: zigbee2mqtt, bridge: hub, topic: front door } }
          - { id: old-bulb, profile: light.dimmable,
              binding: { protocol: mqtt, convention: zigbee2mqtt, topic: old_bulb } }
        """);

    // WHEN the file is read
    List<DeviceDefinition> devices = DeviceFile.load(f, profiles, transports);

    // THEN the bridge is known with its credentials, and its devices' topics are under its base
    MqttTransport mqtt = (MqttTransport) transports.find("mqtt").orElseThrow();
    MqttBridge hub = mqtt.bridges().find("hub").orElseThrow();
    assertEquals("home/z2m", hub.baseTopic());
    assertEquals(new MqttBinding.Credentials("hub-user", "s3cret-pass"), hub.credentials());
    assertTrue(hub.fromConfig());
    assertEquals(new MqttBinding("zigbee2mqtt", "hall_light", null, "hub", "home/z2m"), devices.get(0).binding());
    assertEquals(List.of("home/z2m/hall_light", "home/z2m/hall_light/availability"),
        MqttConventions.forDevice(devices.get(0)).subscriptions(devices.get(0)));
    assertEquals(List.of("home/z2m/front door", "home/z2m/front door/availability"),
        MqttConventions.forDevice(devices.get(1)).subscriptions(devices.get(1)));
    // a zigbee2mqtt device without a bridge keeps the default base
    assertEquals(List.of("zigbee2mqtt/old_bulb", "zigbee2mqtt/old_bulb/availability"),
        MqttConventions.forDevice(devices.get(2)).subscriptions(devices.get(2)));
    // the bridge's account may use everything under its base; its devices need none
    assertEquals(List.of("home/z2m/#"), hub.permissions().publish());
    assertEquals(List.of("home/z2m/#"), hub.permissions().subscribe());
    assertEquals(devices.get(0), mqtt.prepare(devices.get(0)).device(), "no credentials generated behind a bridge");
  }

  @Test
  void storedFormKeepsTheBridgeAndResolvesItsBaseTopic() throws IOException {
    Transports transports = TestTransports.standard();
    List<DeviceDefinition> devices = DeviceFile.load(file("""
        bridges: [ { id: hub, baseTopic: z2m } ]
        devices:
          - { id: hall-light, profile: light.dimmable,
              binding: { protocol: mqtt, convention: zigbee2mqtt, bridge: hub, topic: hall_light } }
        """), profiles, transports);
    Map<String, Object> stored = transports.toStored(devices.get(0).binding());
    assertEquals("hub", stored.get("bridge"));
    assertEquals(devices.get(0).binding(), transports.fromStored(stored));
    // a bridge gone since: the device still reads back, but cannot be attached
    DeviceDefinition orphan = devices.get(0).withBinding(TestTransports.standard().fromStored(stored));
    assertEquals(new MqttBinding("zigbee2mqtt", "hall_light", null, "hub", null), orphan.binding());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MqttConventions.forDevice(orphan).subscriptions(orphan));
    assertTrue(e.getMessage().contains("unknown bridge 'hub'"), e.getMessage());
  }

  @Test
  void unknownBridgeNamesBindingBridge() throws IOException {
    Path f = file("""
        devices:
          - { id: hall-light, profile: light.dimmable,
              binding: { protocol: mqtt, convention: zigbee2mqtt, bridge: nope, topic: hall_light } }
        """);
    ConfigException e = assertThrows(ConfigException.class,
        () -> DeviceFile.load(f, profiles, TestTransports.standard()));
    assertTrue(e.getMessage().contains("binding.bridge unknown bridge 'nope'"), e.getMessage());
  }

  @Test
  void badBridgesFailWithOneLineNamingTheKey() throws IOException {
    assertFails("bridges: [ { id: hub, baseTopic: 'z2m/#' } ]", "bridge 1 (hub): baseTopic must be");
    assertFails("bridges: [ { id: hub, convention: tasmota } ]", "bridge 1 (hub): convention must be zigbee2mqtt");
    assertFails("bridges: [ { id: hub }, { id: hub } ]", "bridge 2 (hub): duplicate bridge id 'hub'");
    assertFails("bridges: [ { id: hub, credentials: { username: u, password: short } } ]",
        "credentials must have a username");
    assertFails("bridges: [ { id: hub, sim: true } ]", "sim is not a bridge key");
    assertFails("bridges: { id: hub }", "'bridges:' must be a list");
    assertFails("""
        bridges: [ { id: hub } ]
        devices:
          - { id: plug, profile: plug, binding: { protocol: mqtt, convention: tasmota, bridge: hub } }
        """, "binding.bridge only a zigbee2mqtt device is behind a bridge");
    assertFails("""
        bridges: [ { id: hub } ]
        devices:
          - { id: bulb, profile: light.dimmable, binding: { protocol: mqtt, convention: zigbee2mqtt, bridge: hub,
              credentials: { username: bulb, password: longenough } } }
        """, "binding.credentials a device behind a bridge has none");
  }

  private void assertFails(String yaml, String expected) throws IOException {
    Path f = file(yaml);
    ConfigException e = assertThrows(ConfigException.class,
        () -> DeviceFile.load(f, profiles, TestTransports.standard()), () -> "accepted: " + yaml);
    assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
  }
}
