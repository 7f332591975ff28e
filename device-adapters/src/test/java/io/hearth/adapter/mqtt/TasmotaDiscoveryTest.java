package io.hearth.adapter.mqtt;

import static io.hearth.adapter.mqtt.Devices.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.CommandReply;
import io.hearth.adapter.DeviceEvent;
import io.hearth.adapter.DeviceSink;
import io.hearth.adapter.Discovered;
import io.hearth.adapter.StateReport;
import io.hearth.adapter.payload.MalformedPayloadException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Parsing Tasmota's discovery config. The payloads are what Tasmota 14's {@code TasDiscoverMessage()}
 * (tasmota/tasmota_xdrv_driver/xdrv_12_discovery.ino) prints with its format string, key for key and
 * in its order: {@code ip, dn, fn[MAX_FRIENDLYNAMES], hn, mac (NetworkUniqueId: 12 hex digits, no
 * colons), md, ty, if, ofln, onln, state, sw, t, ft, tp, rl[MAX_RELAYS_SET], swc, swn, btn, so, lk,
 * lt_st, bat, dslp, sho, sht, ver}; the arrays are cut to 8 entries here (a build prints
 * MAX_*_SET of them), the values those of the devices named.
 */
@Timeout(10)
class TasmotaDiscoveryTest {
  static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

  /** A Sonoff Basic with Tasmota 14.4.1 out of the box: one relay, default names and topic. */
  static final String SONOFF_BASIC = "{\"ip\":\"192.168.1.50\",\"dn\":\"Tasmota\","
      + "\"fn\":[\"Tasmota\",null,null,null,null,null,null,null],\"hn\":\"tasmota-A1B2C3-0963\","
      + "\"mac\":\"BCDDC2A1B2C3\",\"md\":\"Sonoff Basic\",\"ty\":0,\"if\":0,\"ofln\":\"Offline\",\"onln\":\"Online\","
      + "\"state\":[\"OFF\",\"ON\",\"TOGGLE\",\"HOLD\"],\"sw\":\"14.4.1\",\"t\":\"tasmota_A1B2C3\","
      + "\"ft\":\"%prefix%/%topic%/\",\"tp\":[\"cmnd\",\"stat\",\"tele\"],\"rl\":[1,0,0,0,0,0,0,0],"
      + "\"swc\":[-1,-1,-1,-1,-1,-1,-1,-1],\"swn\":[null,null,null,null,null,null,null,null],"
      + "\"btn\":[0,0,0,0,0,0,0,0],\"so\":{\"4\":0,\"11\":0,\"13\":0,\"17\":0,\"20\":0,\"30\":0,\"68\":0,\"73\":0,"
      + "\"82\":0,\"114\":0,\"117\":0},\"lk\":0,\"lt_st\":0,\"bat\":0,\"dslp\":0,\"sho\":[],\"sht\":[],\"ver\":1}";

  /**
   * A CW bulb (light subtype LST_COLDWARM = 2) named by its owner ({@code DeviceName Kitchen Bulb}):
   * its one power device is the light, so {@code rl[0]} is 2.
   */
  static final String CT_BULB = "{\"ip\":\"192.168.1.51\",\"dn\":\"Kitchen Bulb\","
      + "\"fn\":[\"Kitchen Bulb\",null,null,null,null,null,null,null],\"hn\":\"kitchen-bulb\","
      + "\"mac\":\"5CCF7F0D0E0F\",\"md\":\"Generic\",\"ty\":0,\"if\":0,\"ofln\":\"Offline\",\"onln\":\"Online\","
      + "\"state\":[\"OFF\",\"ON\",\"TOGGLE\",\"HOLD\"],\"sw\":\"14.4.1\",\"t\":\"kitchen_bulb\","
      + "\"ft\":\"%prefix%/%topic%/\",\"tp\":[\"cmnd\",\"stat\",\"tele\"],\"rl\":[2,0,0,0,0,0,0,0],"
      + "\"swc\":[-1,-1,-1,-1,-1,-1,-1,-1],\"swn\":[null,null,null,null,null,null,null,null],"
      + "\"btn\":[0,0,0,0,0,0,0,0],\"so\":{\"4\":0,\"11\":0,\"13\":0,\"17\":0,\"20\":0,\"30\":0,\"68\":0,\"73\":0,"
      + "\"82\":0,\"114\":0,\"117\":0},\"lk\":0,\"lt_st\":2,\"bat\":0,\"dslp\":0,\"sho\":[],\"sht\":[],\"ver\":1}";

  /** A sensor-only board (no relay: {@code devices_present} 0, so one friendly name and no rl entry). */
  static final String SENSOR_ONLY = SONOFF_BASIC.replace("\"rl\":[1,0,0,0,0,0,0,0]", "\"rl\":[0,0,0,0,0,0,0,0]")
      .replace("\"md\":\"Sonoff Basic\"", "\"md\":\"Generic\"");

  @Test
  void aSuggestedIdIsAlwaysAValidDeviceIdEvenFromALongKey() {
    // found by the fuzzer (docs/fuzzing.md): no usable name or topic, a 60-character topic level
    String key = "A".repeat(60);
    var d = TasmotaDiscovery.parse(key, "{\"t\":\"!!!\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        java.time.Instant.EPOCH);
    org.junit.jupiter.api.Assertions.assertTrue(io.hearth.device.DeviceDefinition.isValidId(d.suggestedId()),
        d.suggestedId());
  }

  @Test
  void defaultSonoffBasicIsAPlugNamedByItsTopic() {
    Discovered d = TasmotaDiscovery.parse("BCDDC2A1B2C3", utf8(SONOFF_BASIC), NOW);
    assertEquals("tasmota", d.source());
    assertEquals("BCDDC2A1B2C3", d.key());
    // the default DeviceName "Tasmota" is every device's: the topic names it instead
    assertEquals("tasmota_a1b2c3", d.suggestedId());
    assertEquals("tasmota_A1B2C3", d.name());
    assertEquals("plug", d.profile());
    assertEquals(Map.of("protocol", "mqtt", "convention", "tasmota", "topic", "tasmota_A1B2C3"), d.binding());
    assertEquals("Sonoff Basic", d.details().get("module"));
    assertEquals("14.4.1", d.details().get("firmware"));
    assertEquals("192.168.1.50", d.details().get("ip"));
    assertEquals("BCDDC2A1B2C3", d.details().get("mac"));
    assertEquals(1L, d.details().get("relays"));
    assertFalse(d.details().containsKey("note"));
    assertEquals(NOW, d.seenAt());
  }

  @Test
  void lightSubtypeMakesADimmableLightNamedByItsDeviceName() {
    Discovered d = TasmotaDiscovery.parse("5CCF7F0D0E0F", utf8(CT_BULB), NOW);
    assertEquals("light.dimmable", d.profile());
    assertEquals("kitchen-bulb", d.suggestedId());
    assertEquals("Kitchen Bulb", d.name());
    assertEquals("kitchen_bulb", d.binding().get("topic"));
    assertEquals(2, d.details().get("lightSubtype"));
  }

  @Test
  void profileGuesses() {
    assertEquals("plug", TasmotaDiscovery.guessProfile(List.of(1, 1, 0), 0));
    assertEquals("plug", TasmotaDiscovery.guessProfile(List.of(2, 0), 0)); // SetOption30: relay shown as a light
    assertEquals("light.dimmable", TasmotaDiscovery.guessProfile(List.of(1, 2), 1));
    assertEquals("curtain", TasmotaDiscovery.guessProfile(List.of(3, 3), 0));
    assertNull(TasmotaDiscovery.guessProfile(List.of(0, 0), 0));
    assertNull(TasmotaDiscovery.parse("BCDDC2A1B2C3", utf8(SENSOR_ONLY), NOW).profile());
  }

  @Test
  void aCustomFullTopicIsListedWithANote() {
    Discovered d = TasmotaDiscovery.parse("BCDDC2A1B2C3",
        utf8(SONOFF_BASIC.replace("%prefix%/%topic%/", "home/%topic%/%prefix%/")), NOW);
    assertTrue(d.details().get("note").toString().contains("FullTopic"), d.details()::toString);
  }

  @Test
  void slugsAreValidIds() {
    assertEquals("living-room-lamp", TasmotaDiscovery.slug("Living Room  Lamp!"));
    assertEquals("a".repeat(64), TasmotaDiscovery.slug("A".repeat(80)));
    assertNull(TasmotaDiscovery.slug("!!!"));
    assertEquals("tasmota-bcddc2a1b2c3", TasmotaDiscovery.parse("BCDDC2A1B2C3",
        utf8(SONOFF_BASIC.replace("\"t\":\"tasmota_A1B2C3\"", "\"t\":\"ÄÖÜ\"")), NOW).suggestedId());
  }

  @Test
  void garbageIsMalformed() {
    assertThrows(MalformedPayloadException.class, () -> TasmotaDiscovery.parse("X", utf8("{not json"), NOW));
    assertThrows(MalformedPayloadException.class, () -> TasmotaDiscovery.parse("X", utf8("[1,2]"), NOW));
    assertThrows(MalformedPayloadException.class, () -> TasmotaDiscovery.parse("X", utf8("{\"mac\":\"X\"}"), NOW));
    assertThrows(MalformedPayloadException.class, () -> TasmotaDiscovery.parse("X",
        utf8(SONOFF_BASIC.replace("\"t\":\"tasmota_A1B2C3\"", "\"t\":\"a/#\"")), NOW));
  }

  @Test
  void topicFilterMatchesOnlyConfigs() {
    assertTrue(TasmotaDiscovery.matches("tasmota/discovery/BCDDC2A1B2C3/config"));
    assertFalse(TasmotaDiscovery.matches("tasmota/discovery/BCDDC2A1B2C3/sensors"));
    assertFalse(TasmotaDiscovery.matches("tasmota/discovery//config"));
    assertFalse(TasmotaDiscovery.matches("tasmota/discovery/a/b/config"));
  }

  @Test
  void handleAnnouncesWithdrawsAndCountsGarbage() {
    AtomicLong malformed = new AtomicLong();
    Sink sink = new Sink();
    TasmotaDiscovery discovery = new TasmotaDiscovery(malformed);
    String topic = "tasmota/discovery/BCDDC2A1B2C3/config";
    discovery.handle(topic, utf8(SONOFF_BASIC), sink, NOW);
    discovery.handle(topic, utf8("garbage"), sink, NOW);
    // SetOption19 1 (or clearing the retained config) publishes an empty retained message
    discovery.handle(topic, new byte[0], sink, NOW);
    assertEquals(1, sink.discovered.size());
    assertEquals("tasmota_a1b2c3", sink.discovered.get(0).suggestedId());
    assertEquals(List.of("tasmota BCDDC2A1B2C3"), sink.withdrawn);
    assertEquals(1, malformed.get());
  }

  /** Records discovery calls only. */
  static final class Sink implements DeviceSink {
    final List<Discovered> discovered = new ArrayList<>();
    final List<String> withdrawn = new ArrayList<>();

    @Override
    public void stateReported(StateReport report) {}

    @Override
    public void availabilityChanged(String deviceId, boolean online, String reason) {}

    @Override
    public void commandReplied(CommandReply reply) {}

    @Override
    public void eventEmitted(DeviceEvent event) {}

    @Override
    public void transportChanged(String protocol, boolean up) {}

    @Override
    public void deviceDiscovered(Discovered device) {
      discovered.add(device);
    }

    @Override
    public void discoveryWithdrawn(String source, String key) {
      withdrawn.add(source + " " + key);
    }
  }
}
