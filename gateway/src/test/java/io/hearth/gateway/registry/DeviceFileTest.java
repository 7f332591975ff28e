package io.hearth.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.Transports;
import io.hearth.adapter.coap.CoapBinding;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.hearth.gateway.TestTransports;
import io.hearth.gateway.config.ConfigException;
import io.hearth.gateway.profile.ProfileLoader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 1: {@link DeviceFile} — the example of docs/devices.md, defaults, and one-line errors naming
 * file and entry.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DeviceFileTest {
  private static final Transports TRANSPORTS = TestTransports.standard();
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

  private String failure(String yaml) throws IOException {
    Path f = file(yaml);
    ConfigException e = assertThrows(ConfigException.class, () -> DeviceFile.load(f, profiles, TRANSPORTS),
        () -> "accepted: " + yaml);
    assertFalse(e.getMessage().contains("\n"), () -> "not one line: " + e.getMessage());
    assertTrue(e.getMessage().contains(f.toString()), () -> "file not named: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void contractExampleParsesEveryEntry() throws URISyntaxException {
    Path example = Path.of(getClass().getResource("/unit/contract-devices.yaml").toURI());
    List<DeviceDefinition> devices = DeviceFile.load(example, profiles, TRANSPORTS);

    assertEquals(List.of("living-lamp", "desk-plug", "hall-light", "bedroom-thermostat", "porch-light"),
        devices.stream().map(DeviceDefinition::id).toList());

    DeviceDefinition lamp = devices.get(0);
    assertEquals("Living room lamp", lamp.name());
    assertEquals("living", lamp.room());
    assertEquals("light.dimmable", lamp.profileId());
    assertEquals(new MqttBinding("hearth", null, null), lamp.binding());

    assertEquals("desk-plug", devices.get(1).name(), "name defaults to the id");
    assertEquals(new MqttBinding("tasmota", "tasmota_1A2B3C", null),
        devices.get(1).binding());
    assertEquals(new MqttBinding("zigbee2mqtt", "hall_light", null),
        devices.get(2).binding());
    assertEquals(CoapBinding.hearth("coap://127.0.0.1:5701"),
        devices.get(3).binding());
    assertEquals(new CoapBinding("generic", "coap://127.0.0.1:5702", "/state", "replace", Map.of()),
        devices.get(4).binding());
  }

  @Test
  void shippedDevicesFileLoads() {
    assertEquals(List.of(), DeviceFile.load(Path.of("../config/devices.yaml"), profiles, TRANSPORTS));
  }

  @Test
  void emptyFileAndEmptyListGiveNoDevices() throws IOException {
    assertEquals(List.of(), DeviceFile.load(file(""), profiles, TRANSPORTS));
    assertEquals(List.of(), DeviceFile.load(file("devices:\n"), profiles, TRANSPORTS));
    assertEquals(List.of(), DeviceFile.load(file("devices: []\n"), profiles, TRANSPORTS));
  }

  @Test
  void topicDefaultsToTheIdForTasmotaAndZigbee2mqtt() throws IOException {
    List<DeviceDefinition> d = DeviceFile.load(file("""
        devices:
          - { id: t1, profile: plug, binding: { protocol: mqtt, convention: tasmota } }
          - { id: z1, profile: light.dimmable, binding: { protocol: mqtt, convention: zigbee2mqtt } }
          - { id: h1, profile: light.dimmable, binding: { protocol: mqtt } }
        """), profiles, TRANSPORTS);
    assertEquals("t1", MqttBinding.of(d.get(0)).topic());
    assertEquals("z1", MqttBinding.of(d.get(1)).topic());
    assertEquals("hearth", d.get(2).binding().convention(), "convention defaults to hearth");
    assertNull(MqttBinding.of(d.get(2)).topic(), "hearth uses the id in its own prefix");
  }

  @Test
  void credentialsAreKept() throws IOException {
    DeviceDefinition d = DeviceFile.load(file("""
        devices:
          - { id: lamp, profile: light.dimmable,
              binding: { protocol: mqtt, credentials: { username: lamp, password: "long-enough" } } }
        """), profiles, TRANSPORTS).get(0);
    assertEquals(new MqttBinding.Credentials("lamp", "long-enough"), MqttBinding.of(d).credentials());
  }

  // ---- one-line errors naming file and entry

  @Test
  void duplicateId() throws IOException {
    String m = failure("""
        devices:
          - { id: lamp, profile: light.dimmable, binding: { protocol: mqtt } }
          - { id: lamp, profile: plug, binding: { protocol: mqtt } }
        """);
    assertTrue(m.contains("entry 2 (lamp)") && m.contains("duplicate device id 'lamp'"), m);
  }

  @Test
  void malformedIds() throws IOException {
    String upper = failure("devices:\n  - { id: Lamp, profile: plug, binding: { protocol: mqtt } }\n");
    assertTrue(upper.contains("entry 1 (Lamp)") && upper.contains("id must be 1-64 characters"), upper);
    String longId = "a".repeat(65);
    String tooLong = failure("devices:\n  - { id: " + longId + ", profile: plug, binding: { protocol: mqtt } }\n");
    assertTrue(tooLong.contains("id must be 1-64 characters"), tooLong);
    String empty = failure("devices:\n  - { id: \"\", profile: plug, binding: { protocol: mqtt } }\n");
    assertTrue(empty.contains("id must be 1-64 characters"), empty);
    String missing = failure("devices:\n  - { profile: plug, binding: { protocol: mqtt } }\n");
    assertTrue(missing.contains("entry 1:") && missing.contains("id must be"), missing);
    assertEquals(1, DeviceFile.load(file("devices:\n  - { id: " + "a".repeat(64)
        + ", profile: plug, binding: { protocol: mqtt } }\n"), profiles, TRANSPORTS).size(), "64 characters are fine");
  }

  @Test
  void secondEntryIsNamedByPosition() throws IOException {
    String m = failure("""
        devices:
          - { id: ok, profile: plug, binding: { protocol: mqtt } }
          - { id: heater, profile: radiator, binding: { protocol: mqtt } }
        """);
    assertTrue(m.contains("entry 2 (heater)") && m.contains("unknown profile 'radiator'"), m);
  }

  @Test
  void badBindings() throws IOException {
    assertTrue(failure("devices:\n  - { id: a, profile: plug, binding: { protocol: zigbee } }\n")
        .contains("binding.protocol must be mqtt or coap"));
    assertTrue(failure("devices:\n  - { id: a, profile: plug, binding: { protocol: mqtt, convention: generic } }\n")
        .contains("binding.convention must be one of"));
    assertTrue(failure("devices:\n  - { id: a, profile: plug, binding: { protocol: coap, convention: tasmota,"
        + " uri: \"coap://127.0.0.1:5701\" } }\n").contains("binding.convention"));
    assertTrue(failure("devices:\n  - { id: a, profile: plug, binding: { protocol: coap } }\n")
        .contains("binding.uri is required for coap"));
    assertTrue(failure("devices:\n  - { id: a, profile: plug, binding: { protocol: coap, uri: \"http://x:1\" } }\n")
        .contains("binding.uri"));
    assertTrue(failure("devices:\n  - { id: a, profile: plug }\n").contains("binding is required"));
    assertTrue(failure("devices:\n  - { id: a, profile: plug, binding: { protocol: coap, uri: \"coap://h:1\","
        + " write: merge } }\n").contains("binding.write must be replace or patch"));
    assertTrue(failure("devices:\n  - { id: a, profile: plug, binding: { protocol: mqtt, topic: \"a/#\" } }\n")
        .contains("binding.topic"));
    assertTrue(failure("devices:\n  - { id: a, profile: plug, binding: { protocol: mqtt, uri: \"coap://h:1\" } }\n")
        .contains("binding.uri is for coap bindings, not mqtt"));
    assertTrue(failure("devices:\n  - { id: a, profile: plug, binding: { protocol: mqtt,"
        + " credentials: { username: a, password: short } } }\n").contains("binding.credentials"));
  }

  @Test
  void unknownKeys() throws IOException {
    String entry = failure("devices:\n  - { id: a, profile: plug, colour: red, binding: { protocol: mqtt } }\n");
    assertTrue(entry.contains("entry 1 (a)") && entry.contains("colour is not a device key"), entry);
    String binding = failure("devices:\n  - { id: a, profile: plug, binding: { protocol: mqtt, qos: 1 } }\n");
    assertTrue(binding.contains("binding.qos is not a binding key"), binding);
  }

  @Test
  void fileShapeErrors() throws IOException {
    assertTrue(failure("devices: { id: a }\n").contains("must hold 'devices:' with a list"));
    assertTrue(failure("- { id: a }\n").contains("must hold 'devices:' with a list"));
    assertTrue(failure("devices:\n  - lamp\n").contains("a device must be a mapping"));
    assertTrue(failure("devices: [ { id: a\n").startsWith("cannot read devices file"));
    Path missing = dir.resolve("missing.yaml");
    ConfigException e = assertThrows(ConfigException.class, () -> DeviceFile.load(missing, profiles, TRANSPORTS));
    assertEquals("devices file " + missing + " (config key 'devices') does not exist: create it, or remove the key"
        + " to start without one", e.getMessage());
  }
}
