package io.hearth.adapter.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RoutingAndRegistryTest {

  @Test
  void routerFindsExactAndSingleLevelWildcardTopics() {
    TopicRouter<String> router = new TopicRouter<>();
    router.add(List.of("hearth/a/state", "hearth/a/event/+"), "a");
    router.add(List.of("zigbee2mqtt/living/lamp", "zigbee2mqtt/living/lamp/availability"), "z");
    assertEquals("a", router.route("hearth/a/state"));
    assertEquals("a", router.route("hearth/a/event/jammed"));
    assertNull(router.route("hearth/a/event/x/y"));
    assertNull(router.route("hearth/b/state"));
    assertEquals("z", router.route("zigbee2mqtt/living/lamp/availability"));
    assertThrows(IllegalArgumentException.class, () -> router.add(List.of("hearth/a/state"), "b"));
    assertThrows(IllegalArgumentException.class, () -> router.add(List.of("x/#"), "b"));
    router.remove(List.of("hearth/a/state", "hearth/a/event/+"));
    assertNull(router.route("hearth/a/event/jammed"));
    router.add(List.of("hearth/a/state"), "b");
    assertEquals("b", router.route("hearth/a/state"));
  }

  @Test
  void registryKnowsTheThreeConventions() {
    assertEquals(List.of("hearth", "tasmota", "zigbee2mqtt"), MqttConventions.names(), "the default first");
    assertEquals("zigbee2mqtt", MqttConventions.forName("Zigbee2MQTT").name());
    assertTrue(MqttConventions.find("generic").isEmpty());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MqttConventions.forName("homie"));
    assertEquals("unknown MQTT convention 'homie' (known: hearth, tasmota, zigbee2mqtt)", e.getMessage());
  }

  @Test
  void permissionsConfineEachDeviceToItsOwnTopics() {
    TopicPermissions a = MqttConventions.permissionsFor(Devices.mqtt("a", "hearth", null));
    TopicPermissions b = MqttConventions.permissionsFor(Devices.mqtt("b", "hearth", null));
    for (String f : a.publish()) {
      assertTrue(f.startsWith("hearth/a/"), f);
      assertTrue(!b.publish().contains(f) && !b.subscribe().contains(f));
    }
    assertThrows(IllegalArgumentException.class,
        () -> MqttConventions.permissionsFor(Devices.mqtt("x", "tasmota", "+")));
  }

  @Test
  void socketsHaveNagleOff() throws Exception {
    try (Socket s = new NoDelaySocketFactory().createSocket()) {
      assertTrue(s.getTcpNoDelay());
    }
  }

  @Test
  void optionsNeverPrintThePassword() {
    MqttAdapterOptions o = MqttAdapterOptions.of("tcp://127.0.0.1:1883", "gw").withCredentials("gw", "s3cret");
    assertTrue(!o.toString().contains("s3cret"));
    assertEquals(1000, o.maxInflight());
    assertThrows(IllegalArgumentException.class, () -> MqttAdapterOptions.of("ssl://x:1", "gw"));
    assertThrows(IllegalArgumentException.class, () -> MqttAdapterOptions.of("tcp://127.0.0.1", "gw"));
  }
}
