package io.hearth.adapter.mqtt;

import static io.hearth.adapter.mqtt.MqttDeviceAdapterTest.failure;
import static io.hearth.adapter.mqtt.MqttDeviceAdapterTest.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.DeviceCommand;
import io.hearth.device.Profile;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The adapter's connection life: broker absent at start, broker restarted mid-run. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MqttReconnectTest {

  private static final Profile LIGHT = new Profile("light.dimmable", null, null, null, null);

  @TempDir
  Path dir;
  private TestBroker broker;
  private Context context;
  private RecordingSink sink;
  private MqttDeviceAdapter adapter;
  private String clientId;

  @BeforeEach
  void setUp(Vertx vertx, org.junit.jupiter.api.TestInfo info) throws Exception {
    broker = new TestBroker(dir); // not started
    context = vertx.getOrCreateContext();
    sink = new RecordingSink(context);
    clientId = "gw-" + info.getTestMethod().orElseThrow().getName();
    adapter = new MqttDeviceAdapter(context, MqttAdapterOptions.of(broker.uri(), clientId)
        .withReconnectDelays(Duration.ofMillis(50), Duration.ofMillis(400)));
  }

  @AfterEach
  void tearDown() throws Exception {
    result(adapter.stop());
    broker.close();
    assertEquals(List.of(), sink.offContext, "every sink call on the adapter's context");
  }

  private static DeviceCommand command(String cid, String deviceId) {
    return new DeviceCommand(cid, deviceId, Map.of("power", true), null, null, Instant.now().plusSeconds(5));
  }

  @Test
  void startedBeforeTheBrokerExistsItConnectsOnceTheBrokerComesUp() throws Exception {
    // GIVEN no broker: start still succeeds at once, and the transport is reported down
    result(adapter.start(sink));
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.transport.contains(false));
    assertFalse(adapter.isUp());
    // attach completes at once while disconnected; send fails fast
    result(adapter.attach(Devices.mqtt("lamp-1", "hearth", null), LIGHT));
    long t0 = System.nanoTime();
    assertEquals("MQTT broker not connected", failure(adapter.send(command("c-0", "lamp-1"))).getMessage());
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "fails fast");

    // WHEN the broker comes up
    broker.start();

    // THEN the retried first connect succeeds, and the device's topics are subscribed
    await().atMost(Duration.ofSeconds(15)).until(adapter::isUp);
    assertEquals(List.of(false, true), sink.transport);
    try (DeviceClient device = new DeviceClient(broker.uri(), "dev-1").connect(null, null)) {
      device.subscribe("hearth/lamp-1/set");
      device.publish("hearth/lamp-1/state", "{\"power\":false}", false);
      await().atMost(Duration.ofSeconds(10)).until(() -> sink.lastStateWith("lamp-1", "power") != null);
      result(adapter.send(command("c-1", "lamp-1")));
      assertEquals("hearth/lamp-1/set", device.next().topic());
    }
  }

  @Test
  void brokerRestartMidRunIsReportedAndSubscriptionsComeBack() throws Exception {
    // GIVEN a connected adapter with an attached device
    broker.start();
    result(adapter.start(sink));
    await().atMost(Duration.ofSeconds(10)).until(adapter::isUp);
    result(adapter.attach(Devices.mqtt("lamp-2", "hearth", null), LIGHT));
    try (DeviceClient device = new DeviceClient(broker.uri(), "dev-2a").connect(null, null)) {
      device.publish("hearth/lamp-2/state", "{\"brightness\":1}", false);
      await().atMost(Duration.ofSeconds(10)).until(() -> sink.lastStateWith("lamp-2", "brightness") != null);
    }

    // WHEN the broker stops
    broker.stop();

    // THEN the transport is reported down and sends fail fast
    await().atMost(Duration.ofSeconds(15)).until(() -> sink.transport.equals(List.of(true, false)));
    assertFalse(adapter.isUp());
    assertEquals("MQTT broker not connected", failure(adapter.send(command("c-2", "lamp-2"))).getMessage());

    // WHEN it comes back
    broker.start();

    // THEN the adapter reconnects, reports up, and its subscriptions work again
    await().atMost(Duration.ofSeconds(15)).until(() -> sink.transport.equals(List.of(true, false, true)));
    assertTrue(adapter.isUp());
    try (DeviceClient device = new DeviceClient(broker.uri(), "dev-2b").connect(null, null)) {
      device.subscribe("hearth/lamp-2/set");
      device.publish("hearth/lamp-2/state", "{\"brightness\":2}", false);
      await().atMost(Duration.ofSeconds(10))
          .until(() -> sink.lastStateWith("lamp-2", "brightness").properties().get("brightness").equals(2L));
      result(adapter.send(command("c-3", "lamp-2")));
      assertEquals("hearth/lamp-2/set", device.next().topic());
    }
  }

  @Test
  void stopWhileRetryingLeavesNoThreads() throws Exception {
    // GIVEN an adapter retrying against an absent broker
    result(adapter.start(sink));
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.transport.contains(false));
    // WHEN stopped THEN no thread of its client is left and nothing reconnects
    result(adapter.stop());
    await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.isAlive() && t.getName().contains(clientId)));
    assertFalse(adapter.isUp());
  }
}
