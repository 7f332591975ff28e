package io.hearth.adapter.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.adapter.Discovered;
import io.hearth.adapter.payload.MalformedPayloadException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tier 1: profiles guessed from Zigbee2MQTT {@code exposes}, ids from friendly names, garbage lists. */
class Z2mDiscoveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String guess(String exposes) throws Exception {
    return Z2mDiscovery.guessProfile(JSON.readTree(exposes));
  }

  @Test
  void profileFromExposes() throws Exception {
    assertEquals("light.dimmable", guess("[{\"type\":\"light\",\"features\":[{\"name\":\"state\"},{\"name\":\"brightness\"}]}]"));
    assertNull(guess("[{\"type\":\"light\",\"features\":[{\"name\":\"state\"}]}]"), "on/off only: not dimmable");
    assertEquals("plug", guess("[{\"type\":\"switch\",\"features\":[{\"name\":\"state\"}]},{\"type\":\"numeric\",\"name\":\"power\"}]"));
    assertEquals("lock", guess("[{\"type\":\"lock\",\"features\":[{\"name\":\"state\"}]},{\"type\":\"numeric\",\"name\":\"battery\"}]"));
    assertEquals("curtain", guess("[{\"type\":\"cover\",\"features\":[{\"name\":\"state\"},{\"name\":\"position\"}]}]"));
    assertEquals("thermostat", guess("[{\"type\":\"climate\",\"features\":[{\"name\":\"occupied_heating_setpoint\"}]}]"));
    assertEquals("sensor.contact", guess("[{\"type\":\"binary\",\"name\":\"contact\"},{\"type\":\"numeric\",\"name\":\"battery\"}]"));
    assertEquals("sensor.climate", guess("[{\"type\":\"numeric\",\"name\":\"temperature\"},{\"type\":\"numeric\",\"name\":\"humidity\"}]"));
    assertEquals("sensor.climate", guess("[{\"type\":\"numeric\",\"name\":\"humidity\"}]"));
    assertNull(guess("[{\"type\":\"numeric\",\"name\":\"linkquality\"}]"));
    assertNull(Z2mDiscovery.guessProfile((JsonNode) null));
  }

  @Test
  void suggestedIdsAreValidDeviceIds() {
    assertEquals("kitchen-bulb", Z2mDiscovery.suggestId("Kitchen Bulb", "0x01"));
    assertEquals("hall_light", Z2mDiscovery.suggestId("hall_light", "0x01"));
    assertEquals("living-room-lamp-2", Z2mDiscovery.suggestId("Living room/Lamp #2", "0x01"));
    assertEquals("z2m-0x00158d0001", Z2mDiscovery.suggestId("日本", "0x00158D0001"));
    assertEquals(64, Z2mDiscovery.suggestId("a".repeat(100), "0x01").length());
  }

  @Test
  void coordinatorAndEntriesWithoutAddressAreLeftOut() {
    MqttBridge hub = new MqttBridge("hub", null, "z2m", null, false);
    List<Discovered> found = Z2mDiscovery.parse(hub, ("[{\"ieee_address\":\"0x1\",\"friendly_name\":\"Coordinator\","
        + "\"type\":\"Coordinator\"},{\"friendly_name\":\"no address\",\"type\":\"Router\"},"
        + "{\"ieee_address\":\"0x2\",\"friendly_name\":\"bulb\",\"type\":\"Router\",\"definition\":null}]")
        .getBytes(StandardCharsets.UTF_8), Instant.EPOCH);
    assertEquals(List.of("0x2"), found.stream().map(Discovered::key).toList());
    assertNull(found.get(0).profile());
  }

  @Test
  void aListThatIsNotAnArrayIsMalformed() {
    MqttBridge hub = new MqttBridge("hub", null, "z2m", null, false);
    assertThrows(MalformedPayloadException.class, () -> Z2mDiscovery.parse(hub, "{}".getBytes(StandardCharsets.UTF_8),
        Instant.EPOCH));
    assertThrows(MalformedPayloadException.class, () -> Z2mDiscovery.parse(hub, "[".getBytes(StandardCharsets.UTF_8),
        Instant.EPOCH));
  }
}
