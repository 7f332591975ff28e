package io.hearth.adapter.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hearth.adapter.CommandReply;
import io.hearth.adapter.DeviceEvent;
import io.hearth.adapter.DeviceSink;
import io.hearth.adapter.Discovered;
import io.hearth.adapter.StateReport;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 2: the MQTT adapter and Zigbee2MQTT bridges on a real embedded HiveMQ CE broker, the bridge
 * being a plain Paho client that publishes what Zigbee2MQTT publishes (docs/conventions-mqtt.md,
 * "Bridges"): bridge availability over its devices, and discovery from {@code bridge/devices}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeAdapterTest {
  private static final Profile LIGHT = new Profile("light.dimmable", null, null, null, null);
  private static final AtomicInteger IDS = new AtomicInteger();

  @TempDir
  static Path brokerDir;
  private static TestBroker broker;

  private final MqttBridges bridges = new MqttBridges();
  private final List<DeviceClient> clients = new ArrayList<>();
  private final Sink sink = new Sink();
  private MqttDeviceAdapter adapter;
  private MqttBridge hub;

  /** Records availability and discovery. */
  static final class Sink implements DeviceSink {
    record Availability(String deviceId, boolean online, String reason) {}

    final List<Availability> availability = new CopyOnWriteArrayList<>();
    final List<Discovered> discovered = new CopyOnWriteArrayList<>();
    final List<String> withdrawn = new CopyOnWriteArrayList<>();

    @Override
    public void stateReported(StateReport report) {}

    @Override
    public void availabilityChanged(String deviceId, boolean online, String reason) {
      availability.add(new Availability(deviceId, online, reason));
    }

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

    Availability last(String deviceId) {
      Availability out = null;
      for (Availability a : availability) {
        if (a.deviceId().equals(deviceId)) {
          out = a;
        }
      }
      return out;
    }
  }

  @BeforeAll
  static void startBroker() throws Exception {
    broker = new TestBroker(brokerDir).start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    // GIVEN a bridge with its own base topic (fresh per test: retained messages stay on the broker)
    int n = IDS.incrementAndGet();
    hub = new MqttBridge("hub", null, "t" + n + "/z2m", null, true);
    bridges.put(hub);
    Context context = vertx.getOrCreateContext();
    adapter = new MqttDeviceAdapter(context, MqttAdapterOptions.of(broker.uri(), "gw-bridge-" + n)
        .withReconnectDelays(Duration.ofMillis(50), Duration.ofMillis(500)), bridges);
    result(adapter.start(sink));
    await().atMost(Duration.ofSeconds(10)).until(adapter::isUp);
  }

  @AfterEach
  void stop() throws Exception {
    for (DeviceClient c : clients) {
      c.close();
    }
    result(adapter.stop());
  }

  private DeviceClient bridgeClient() throws Exception {
    DeviceClient c = new DeviceClient(broker.uri(), "mqttjs_" + IDS.incrementAndGet())
        .connect(hub.stateTopic(), "{\"state\":\"offline\"}");
    clients.add(c);
    return c;
  }

  private DeviceDefinition behindHub(String id, String friendlyName) {
    return new DeviceDefinition(id, null, null, "light.dimmable",
        new MqttBinding("zigbee2mqtt", friendlyName, null, hub.id(), hub.baseTopic()));
  }

  @Test
  void bridgeAvailabilityGovernsItsDevicesAndTheirOwnStillCounts() throws Exception {
    result(adapter.attach(behindHub("lamp-a", "lamp_a"), LIGHT));
    result(adapter.attach(behindHub("lamp-b", "lamp_b"), LIGHT));

    // WHEN the bridge comes online (retained JSON, as Zigbee2MQTT 2.x publishes it)
    DeviceClient bridge = bridgeClient();
    bridge.publish(hub.stateTopic(), "{\"state\":\"online\"}", true);

    // THEN both devices are online
    await().atMost(Duration.ofSeconds(10)).until(() -> isOnline("lamp-a") && isOnline("lamp-b"));

    // WHEN lamp-b's own availability says offline
    bridge.publish(hub.baseTopic() + "/lamp_b/availability", "{\"state\":\"offline\"}", true);
    await().atMost(Duration.ofSeconds(10)).until(() -> new Sink.Availability("lamp-b", false, "timeout")
        .equals(sink.last("lamp-b")));

    // WHEN the bridge dies (the broker publishes its will)
    bridge.crash();

    // THEN every device behind it is offline, reason bridge_offline
    await().atMost(Duration.ofSeconds(10)).until(() ->
        new Sink.Availability("lamp-a", false, BridgeWatch.BRIDGE_OFFLINE).equals(sink.last("lamp-a"))
            && new Sink.Availability("lamp-b", false, BridgeWatch.BRIDGE_OFFLINE).equals(sink.last("lamp-b")));

    // WHEN a device says online while its bridge is offline, nothing changes
    DeviceClient other = new DeviceClient(broker.uri(), "other-" + IDS.incrementAndGet()).connect(null, null);
    clients.add(other);
    other.publish(hub.baseTopic() + "/lamp_a/availability", "online", false);
    other.publish(hub.baseTopic() + "/lamp_b/availability", "offline", false); // passes: offline always counts
    await().atMost(Duration.ofSeconds(10)).until(() -> new Sink.Availability("lamp-b", false, "timeout")
        .equals(sink.last("lamp-b")));
    assertEquals(new Sink.Availability("lamp-a", false, BridgeWatch.BRIDGE_OFFLINE), sink.last("lamp-a"),
        "a device's own online does not count while its bridge is offline");

    // WHEN the bridge is back (legacy plain-text payload of Zigbee2MQTT 1.x)
    DeviceClient again = bridgeClient();
    again.publish(hub.stateTopic(), "online", true);

    // THEN lamp-a is online again, lamp-b stays offline: its own availability said so
    await().atMost(Duration.ofSeconds(10)).until(() -> isOnline("lamp-a"));
    assertEquals(new Sink.Availability("lamp-b", false, "timeout"), sink.last("lamp-b"));

    // AND lamp-b comes back when its own availability says so
    again.publish(hub.baseTopic() + "/lamp_b/availability", "{\"state\":\"online\"}", true);
    await().atMost(Duration.ofSeconds(10)).until(() -> isOnline("lamp-b"));
  }

  @Test
  void deviceAttachedWhileItsBridgeIsOfflineIsOfflineAtOnce() throws Exception {
    DeviceClient bridge = bridgeClient();
    bridge.publish(hub.stateTopic(), "{\"state\":\"offline\"}", true);
    result(adapter.attach(behindHub("lamp-c", "lamp_c"), LIGHT));
    // the retained offline arrives on its own subscription; lamp-c is told either way
    await().atMost(Duration.ofSeconds(10)).until(() ->
        new Sink.Availability("lamp-c", false, BridgeWatch.BRIDGE_OFFLINE).equals(sink.last("lamp-c")));
  }

  @Test
  void bridgeDevicesBecomeDiscoveryEntriesAndWithdrawals() throws Exception {
    // GIVEN one device of the bridge already registered
    result(adapter.attach(behindHub("hall-light", "hall_light"), LIGHT));
    DeviceClient bridge = bridgeClient();

    // WHEN the bridge publishes its retained device list (the coordinator, the registered light, a
    // new dimmable bulb, a lock, a plug and an uninterviewed device)
    bridge.publish(hub.devicesTopic(), "[" + String.join(",", COORDINATOR, device("0x0001", "hall_light", LIGHT_EXPOSES),
        device("0x0002", "Kitchen Bulb", LIGHT_EXPOSES), device("0x0003", "front_door", LOCK_EXPOSES),
        device("0x0004", "desk plug", PLUG_EXPOSES), "{\"ieee_address\":\"0x0005\",\"friendly_name\":\"0x0005\","
            + "\"type\":\"EndDevice\",\"supported\":false,\"interview_completed\":false,\"definition\":null}") + "]", true);

    // THEN every unregistered non-coordinator device is announced, with a guessed profile
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.discovered.size() >= 4);
    Map<String, Discovered> byKey = new java.util.HashMap<>();
    sink.discovered.forEach(d -> byKey.put(d.key(), d));
    assertEquals(java.util.Set.of("0x0002", "0x0003", "0x0004", "0x0005"), byKey.keySet());
    Discovered bulb = byKey.get("0x0002");
    assertEquals("zigbee2mqtt:hub", bulb.source());
    assertEquals("kitchen-bulb", bulb.suggestedId());
    assertEquals("Kitchen Bulb", bulb.name());
    assertEquals("light.dimmable", bulb.profile());
    assertEquals(Map.of("protocol", "mqtt", "convention", "zigbee2mqtt", "bridge", "hub", "topic", "Kitchen Bulb"),
        bulb.binding());
    assertEquals("LED1545G12", bulb.details().get("model"));
    assertEquals("IKEA", bulb.details().get("vendor"));
    assertEquals("Mains (single phase)", bulb.details().get("power_source"));
    assertEquals("lock", byKey.get("0x0003").profile());
    assertEquals("plug", byKey.get("0x0004").profile());
    assertNull(byKey.get("0x0005").profile(), "no definition: nothing to guess from");

    // WHEN the lock leaves the network
    bridge.publish(hub.devicesTopic(), "[" + String.join(",", COORDINATOR, device("0x0002", "Kitchen Bulb",
        LIGHT_EXPOSES)) + "]", true);

    // THEN its entry is withdrawn, and so are the plug and the uninterviewed device
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.withdrawn.size() >= 3);
    assertEquals(java.util.Set.of("zigbee2mqtt:hub 0x0003", "zigbee2mqtt:hub 0x0004", "zigbee2mqtt:hub 0x0005"),
        java.util.Set.copyOf(sink.withdrawn));
  }

  @Test
  void aBridgeAddedLaterIsSubscribedAtOnce() throws Exception {
    MqttBridge late = new MqttBridge("late", null, hub.baseTopic() + "-late", null, false);
    DeviceClient bridge = bridgeClient();
    bridge.publish(late.stateTopic(), "{\"state\":\"online\"}", true);
    bridges.put(late);
    result(adapter.attach(new DeviceDefinition("lamp-l", null, null, "light.dimmable",
        new MqttBinding("zigbee2mqtt", "lamp_l", null, late.id(), late.baseTopic())), LIGHT));
    bridge.publish(late.stateTopic(), "{\"state\":\"offline\"}", true);
    await().atMost(Duration.ofSeconds(10)).until(() ->
        new Sink.Availability("lamp-l", false, BridgeWatch.BRIDGE_OFFLINE).equals(sink.last("lamp-l")));
  }

  private boolean isOnline(String id) {
    Sink.Availability a = sink.last(id);
    return a != null && a.online();
  }

  private static final String COORDINATOR = "{\"ieee_address\":\"0x00124b0000000000\",\"friendly_name\":\"Coordinator\","
      + "\"type\":\"Coordinator\",\"supported\":true,\"interview_completed\":true,\"definition\":null}";
  private static final String LIGHT_EXPOSES = "{\"model\":\"LED1545G12\",\"vendor\":\"IKEA\",\"description\":"
      + "\"TRADFRI bulb E26/E27, white spectrum\",\"exposes\":[{\"type\":\"light\",\"features\":["
      + "{\"type\":\"binary\",\"name\":\"state\",\"property\":\"state\",\"access\":7,\"value_on\":\"ON\",\"value_off\":\"OFF\"},"
      + "{\"type\":\"numeric\",\"name\":\"brightness\",\"property\":\"brightness\",\"access\":7,\"value_min\":0,\"value_max\":254},"
      + "{\"type\":\"numeric\",\"name\":\"color_temp\",\"property\":\"color_temp\",\"access\":7,\"unit\":\"mired\"}]},"
      + "{\"type\":\"numeric\",\"name\":\"linkquality\",\"property\":\"linkquality\",\"access\":1}]}";
  private static final String LOCK_EXPOSES = "{\"model\":\"YRD226HA2619\",\"vendor\":\"Yale\",\"description\":\"Lock\","
      + "\"exposes\":[{\"type\":\"lock\",\"features\":[{\"type\":\"binary\",\"name\":\"state\",\"property\":\"state\","
      + "\"access\":7,\"value_on\":\"LOCK\",\"value_off\":\"UNLOCK\"}]},{\"type\":\"numeric\",\"name\":\"battery\","
      + "\"property\":\"battery\",\"access\":5}]}";
  private static final String PLUG_EXPOSES = "{\"model\":\"SP 120\",\"vendor\":\"Innr\",\"description\":\"Smart plug\","
      + "\"exposes\":[{\"type\":\"switch\",\"features\":[{\"type\":\"binary\",\"name\":\"state\",\"property\":\"state\","
      + "\"access\":7,\"value_on\":\"ON\",\"value_off\":\"OFF\"}]},{\"type\":\"numeric\",\"name\":\"power\","
      + "\"property\":\"power\",\"access\":5,\"unit\":\"W\"}]}";

  private static String device(String ieee, String name, String definition) {
    return "{\"ieee_address\":\"" + ieee + "\",\"friendly_name\":\"" + name + "\",\"type\":\"Router\","
        + "\"power_source\":\"Mains (single phase)\",\"supported\":true,\"interview_completed\":true,"
        + "\"definition\":" + definition + "}";
  }

  static <T> T result(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
  }
}
