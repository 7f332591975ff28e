package io.hearth.gateway.broker;

import static io.hearth.gateway.broker.BrokerTestSupport.AUTHORIZER;
import static io.hearth.gateway.broker.BrokerTestSupport.HOST;
import static io.hearth.gateway.broker.BrokerTestSupport.awaitResult;
import static io.hearth.gateway.broker.BrokerTestSupport.password;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.adapter.mqtt.MqttConventions;
import io.hearth.adapter.mqtt.TopicPermissions;
import io.hearth.device.DeviceDefinition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the embedded broker does with a client that steps outside its ACL, with real MQTT 3.1.1
 * and MQTT 5 clients: a publish is dropped and the client stays connected, a subscription is
 * refused in the SUBACK, a will outside the ACL refuses the CONNECT; each is counted and logged
 * with its reason (docs/broker.md).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EmbeddedBrokerAclTest {

  private static final String TAS_PASSWORD = "secret-tas";
  /** Tasmota's permissions for a plug with topic {@code tas_acl}, from the convention itself. */
  private static final TopicPermissions TASMOTA = MqttConventions.permissionsFor(
      new DeviceDefinition("tas", null, null, "plug", new MqttBinding("tasmota", "tas_acl", null)));

  @TempDir static Path dataDir;
  private static Vertx vertx;
  private static EmbeddedBroker broker;
  private static String url;

  @BeforeAll
  static void startBroker() throws Exception {
    vertx = Vertx.vertx();
    BrokerAuthorizer authorizer = (clientId, user, pw) -> "tas".equals(user)
        ? (Arrays.equals(TAS_PASSWORD.getBytes(StandardCharsets.UTF_8), pw) ? Optional.of(TASMOTA) : Optional.empty())
        : AUTHORIZER.authorize(clientId, user, pw);
    broker = new EmbeddedBroker(BrokerOptions.defaults(HOST, BrokerTestSupport.freePort(), false, dataDir),
        authorizer);
    awaitResult(broker.start(vertx));
    url = broker.url();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      awaitResult(broker.stop(vertx));
    }
    awaitResult(vertx.close());
  }

  @Test
  void mqtt3PublishOutsideTheAclIsDroppedCountedLoggedOnceAndTheClientStaysConnected() throws Exception {
    long denied = broker.stats().publishesDenied();
    try (BrokerLogs logs = new BrokerLogs();
        TestClient gateway = TestClient.connect(url, "gw-acl-1", "gateway", password("gateway"));
        Mqtt3Client x = Mqtt3Client.connect(vertx, broker.port(), "x-acl-1", "x", password("x"), "hearth/x/availability")) {
      assertEquals(1, gateway.subscribe("hearth/#", 1)[0]);
      // WHEN device X publishes to device Y's state twice at QoS 1 (each acknowledged) and once at QoS 0
      x.publish("hearth/y/state", "{\"power\":true}", 1, false);
      x.publish("hearth/y/state", "{\"power\":true}", 1, true);
      x.publish("hearth/y/reply", "{}", 0, false);
      // AND then to its own state
      x.publish("hearth/x/state", "{\"power\":false}", 1, false);
      // THEN only its own state reaches the subscriber
      TestClient.Received first = gateway.poll(10, TimeUnit.SECONDS);
      assertNotNull(first, "own state never arrived");
      assertEquals("hearth/x/state", first.topic());
      // AND X is still connected
      assertTrue(x.isConnected(), "the broker disconnected X");
      // AND the three drops are counted, with one WARN per client and topic naming client, user and topic
      assertEquals(denied + 3, broker.stats().publishesDenied());
      assertEquals(1, logs.lines(Level.WARN, "client: x-acl-1", "user: x", "topic: hearth/y/state").size(),
          () -> logs.lines(Level.WARN).toString());
      assertEquals(1, logs.lines(Level.WARN, "client: x-acl-1", "user: x", "topic: hearth/y/reply").size());
      assertEquals(2, logs.lines(Level.WARN, "client: x-acl-1").size(), () -> logs.lines(Level.WARN).toString());
    }
  }

  @Test
  void mqtt3PublishOverTheRateLimitIsDroppedWithoutDisconnecting() throws Exception {
    long limited = broker.stats().publishesRateLimited();
    String big = "x".repeat(250 * 1024); // the bucket holds 256 KiB, refilled at 256 KiB/s
    try (TestClient gateway = TestClient.connect(url, "gw-acl-5", "gateway", password("gateway"));
        Mqtt3Client x = Mqtt3Client.connect(vertx, broker.port(), "x-rate", "x", password("x"), null)) {
      assertEquals(0, gateway.subscribe("hearth/x/event/+", 0)[0]);
      // WHEN an MQTT 3.1.1 device sends faster than its rate at QoS 1 (each acknowledged)
      for (int i = 0; i < 20 && broker.stats().publishesRateLimited() == limited; i++) {
        x.publish("hearth/x/event/big", big, 1, false);
      }
      // THEN what found the bucket short is dropped and counted, and the client stays connected
      assertTrue(broker.stats().publishesRateLimited() > limited, "nothing was rate-limited");
      x.publish("hearth/x/event/small", "{}", 1, false);
      TestClient.Received m;
      do {
        m = gateway.poll(10, TimeUnit.SECONDS);
        assertNotNull(m, "the publish after the drop never arrived");
      } while (!m.topic().equals("hearth/x/event/small"));
      assertTrue(x.isConnected());
    }
  }

  @Test
  void mqtt5PublishOutsideTheAclIsAnsweredNotAuthorizedWithoutDisconnecting() throws Exception {
    long deniedBefore = broker.stats().publishesDenied();
    MqttAsyncClient x = new MqttAsyncClient(url, "x-acl-2", new MemoryPersistence());
    try (TestClient gateway = TestClient.connect(url, "gw-acl-2", "gateway", password("gateway"))) {
      assertEquals(0, gateway.subscribe("hearth/#", 0)[0]);
      MqttConnectionOptions o = new MqttConnectionOptions();
      o.setUserName("x");
      o.setPassword(password("x").getBytes(StandardCharsets.UTF_8));
      x.connect(o).waitForCompletion(10_000);
      // WHEN an MQTT 5 device publishes outside its ACL at QoS 1
      IMqttToken denied = x.publish("hearth/y/state", message("{}"));
      denied.waitForCompletion(10_000);
      // THEN the PUBACK says NOT_AUTHORIZED, and the client stays connected and can go on publishing
      assertEquals(0x87, denied.getReasonCodes()[0]);
      x.publish("hearth/x/state", message("{\"power\":true}")).waitForCompletion(10_000);
      TestClient.Received first = gateway.poll(10, TimeUnit.SECONDS);
      assertNotNull(first, "own state never arrived");
      assertEquals("hearth/x/state", first.topic());
      assertTrue(x.isConnected());
      assertEquals(deniedBefore + 1, broker.stats().publishesDenied());
    } finally {
      if (x.isConnected()) {
        x.disconnect().waitForCompletion(5_000);
      }
      x.close(true);
    }
  }

  private static MqttMessage message(String payload) {
    MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
    m.setQos(1);
    return m;
  }

  @Test
  void willOutsideTheAclRefusesTheConnectWithTheReasonLogged() throws Exception {
    long refused = broker.stats().connectionsRefused();
    try (BrokerLogs logs = new BrokerLogs()) {
      // WHEN device X connects with its will on device Y's availability
      assertThrows(Exception.class,
          () -> Mqtt3Client.connect(vertx, broker.port(), "x-will", "x", password("x"), "hearth/y/availability"));
      // THEN the CONNECT is refused, counted and logged with the reason and the will topic
      assertEquals(refused + 1, broker.stats().connectionsRefused());
      assertEquals(1, logs.lines(Level.INFO, "will topic outside", "client: x-will", "user: x",
          "will: hearth/y/availability").size(), () -> logs.lines(Level.INFO).toString());
    }
    // AND a will on its own availability is fine
    try (Mqtt3Client x = Mqtt3Client.connect(vertx, broker.port(), "x-will", "x", password("x"), "hearth/x/availability")) {
      assertTrue(x.isConnected());
    }
  }

  @Test
  void refusedConnectsAreLoggedWithTheirReason() throws Exception {
    long refused = broker.stats().connectionsRefused();
    try (BrokerLogs logs = new BrokerLogs()) {
      assertThrows(Exception.class, () -> Mqtt3Client.connect(vertx, broker.port(), "x-bad", "x", "nope", null));
      assertThrows(Exception.class, () -> Mqtt3Client.connect(vertx, broker.port(), "anon-1", null, null, null));
      assertEquals(1, logs.lines(Level.INFO, "bad user name or password", "client: x-bad", "user: x").size());
      assertEquals(1, logs.lines(Level.INFO, "anonymous", "client: anon-1").size());
      assertEquals(refused + 2, broker.stats().connectionsRefused());
    }
  }

  @Test
  void refusedSubscriptionGetsAFailureCodeIsLoggedOnceAndTheClientStaysConnected() throws Exception {
    long refused = broker.stats().subscriptionsDenied();
    try (BrokerLogs logs = new BrokerLogs();
        TestClient gateway = TestClient.connect(url, "gw-acl-3", "gateway", password("gateway"));
        Mqtt3Client x = Mqtt3Client.connect(vertx, broker.port(), "x-sub", "x", password("x"), null)) {
      // WHEN an MQTT 3.1.1 device subscribes to another device's topics, twice
      assertEquals(List.of(0x80), x.subscribe("hearth/y/#"));
      assertEquals(List.of(0x80), x.subscribe("hearth/y/#"));
      // THEN both are refused, counted, and logged once with the filter and the reason
      assertEquals(refused + 2, broker.stats().subscriptionsDenied());
      await().atMost(Duration.ofSeconds(5)).until(() -> !logs.lines(Level.WARN, "client: x-sub").isEmpty());
      assertEquals(1, logs.lines(Level.WARN, "subscription refused", "outside the client's ACL", "client: x-sub",
          "user: x", "filter: hearth/y/#").size(), () -> logs.lines(Level.WARN).toString());
      // AND the client is still connected, and its own command topic works
      assertEquals(List.of(0), x.subscribe("hearth/x/set"));
      assertTrue(x.isConnected());
      assertEquals(1, logs.lines(Level.WARN, "client: x-sub").size());
    }
  }

  @Test
  void tasmotaAccountCoversWhatTheFirmwareDoesAndOnlyItsOwnFallbackTopic() throws Exception {
    long denied = broker.stats().publishesDenied();
    try (TestClient gateway = TestClient.connect(url, "gw-acl-4", "gateway", password("gateway"));
        Mqtt3Client tas = Mqtt3Client.connect(vertx, broker.port(), "DVES_ABCDEF", "tas", TAS_PASSWORD,
            "tele/tas_acl/LWT")) {
      assertEquals(0, gateway.subscribe("#", 0)[0]);
      // its own command topic, the group topic and the fallback topic named by its client id
      assertEquals(List.of(0), tas.subscribe("cmnd/tas_acl/#"));
      assertEquals(List.of(0), tas.subscribe("cmnd/tasmotas/#"));
      assertEquals(List.of(0), tas.subscribe("cmnd/DVES_ABCDEF_fb/#"));
      // but not another device's fallback or command topic
      assertEquals(List.of(0x80), tas.subscribe("cmnd/DVES_123456_fb/#"));
      assertEquals(List.of(0x80), tas.subscribe("cmnd/other/#"));
      // publishes at connect: the empty POWER and the retained discovery config are delivered
      tas.publish("cmnd/tas_acl/POWER", "", 1, false);
      tas.publish("tasmota/discovery/5CCF7FABCDEF/config", "{\"t\":\"tas_acl\"}", 1, true);
      tas.publish("tele/tas_acl/STATE", "{\"POWER\":\"ON\"}", 1, false);
      assertEquals("cmnd/tas_acl/POWER", gateway.poll(10, TimeUnit.SECONDS).topic());
      assertEquals("tasmota/discovery/5CCF7FABCDEF/config", gateway.poll(10, TimeUnit.SECONDS).topic());
      assertEquals("tele/tas_acl/STATE", gateway.poll(10, TimeUnit.SECONDS).topic());
      assertEquals(denied, broker.stats().publishesDenied());
      // another device's command topic is not
      tas.publish("cmnd/other/POWER", "ON", 1, false);
      tas.publish("stat/tas_acl/RESULT", "{\"POWER\":\"ON\"}", 1, false);
      assertEquals("stat/tas_acl/RESULT", gateway.poll(10, TimeUnit.SECONDS).topic());
      assertEquals(denied + 1, broker.stats().publishesDenied());
      assertTrue(tas.isConnected());
      tas.publish("tasmota/discovery/5CCF7FABCDEF/config", "", 1, true); // clear the retained config
    }
  }

  @Test
  void countersArePublishedAsMeters() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    BrokerStats stats = new BrokerStats();
    BrokerMeters.register(registry, stats);
    stats.publishDenied();
    stats.publishDenied();
    stats.publishRateLimited();
    stats.subscriptionDenied();
    stats.connectionRefused();
    assertEquals(2.0, registry.get("hearth_broker_publishes_dropped").tag("reason", "not_authorized")
        .functionCounter().count());
    assertEquals(1.0, registry.get("hearth_broker_publishes_dropped").tag("reason", "rate_limited")
        .functionCounter().count());
    assertEquals(1.0, registry.get("hearth_broker_subscriptions_refused").functionCounter().count());
    assertEquals(1.0, registry.get("hearth_broker_connections_refused").functionCounter().count());
  }

  @Test
  void firstSeenForgetsTheOldestBeyondItsCapacity() {
    FirstSeen seen = new FirstSeen(2);
    assertTrue(seen.first("c", "a"));
    assertFalse(seen.first("c", "a"));
    assertTrue(seen.first("c", "b"));
    assertTrue(seen.first("c", "c")); // pushes out c/a
    assertEquals(2, seen.size());
    assertTrue(seen.first("c", "a"));
  }
}
