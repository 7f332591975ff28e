package io.hearth.gateway.broker;

import static io.hearth.gateway.broker.BrokerTestSupport.AUTHORIZER;
import static io.hearth.gateway.broker.BrokerTestSupport.HOST;
import static io.hearth.gateway.broker.BrokerTestSupport.awaitResult;
import static io.hearth.gateway.broker.BrokerTestSupport.password;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Authentication and topic confinement of the embedded broker, with real MQTT 5 clients. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EmbeddedBrokerAuthTest {

  private static final int NOT_AUTHORIZED = 0x87;
  private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;

  @TempDir static Path dataDir;
  private static Vertx vertx;
  private static EmbeddedBroker broker;
  private static String url;

  @BeforeAll
  static void startBroker() throws Exception {
    vertx = Vertx.vertx();
    broker =
        new EmbeddedBroker(
            BrokerOptions.defaults(HOST, BrokerTestSupport.freePort(), false, dataDir),
            AUTHORIZER);
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
  void anonymousClientIsRefused() {
    // WHEN a client connects without a user name to a broker that does not allow anonymous
    MqttException e =
        assertThrows(MqttException.class, () -> TestClient.connect(url, "anon-1", null, null));
    // THEN the CONNECT is refused as not authorized
    assertEquals(NOT_AUTHORIZED, e.getReasonCode());
  }

  @Test
  void wrongPasswordIsRefused() {
    MqttException e =
        assertThrows(MqttException.class, () -> TestClient.connect(url, "x", "x", "not-it"));
    assertEquals(BAD_USER_NAME_OR_PASSWORD, e.getReasonCode());
    MqttException unknown =
        assertThrows(MqttException.class, () -> TestClient.connect(url, "z", "z", "whatever"));
    assertEquals(BAD_USER_NAME_OR_PASSWORD, unknown.getReasonCode());
  }

  @Test
  void deviceCannotWriteAnotherDevicesTopics() throws Exception {
    try (TestClient gateway = TestClient.connect(url, "gw-1", "gateway", password("gateway"));
        TestClient x = TestClient.connect(url, "x-1", "x", password("x"))) {
      // GIVEN the gateway listening to every device's topics
      assertEquals(1, gateway.subscribe("hearth/#", 1)[0]);
      // WHEN device X publishes to device Y's state, then to its own
      x.publish("hearth/y/state", "{\"power\":true}", 1, false);
      x.publish("hearth/x/state", "{\"power\":false}", 1, false);
      // THEN the forbidden message is never delivered, while X's own state is: the broker drops
      // the publish and keeps X connected (EmbeddedBrokerAclTest covers the details)
      TestClient.Received first = gateway.poll(10, TimeUnit.SECONDS);
      assertNotNull(first, "own state never arrived");
      assertEquals("hearth/x/state", first.topic());
      assertTrue(x.isConnected());
      assertNull(gateway.poll(300, TimeUnit.MILLISECONDS), "a forbidden publish was delivered");
    }
  }

  @Test
  void deviceCannotReadAnotherDevicesTopics() throws Exception {
    try (TestClient gateway = TestClient.connect(url, "gw-2", "gateway", password("gateway"));
        TestClient x = TestClient.connect(url, "x-2", "x", password("x"))) {
      // WHEN device X subscribes to device Y's topics
      int[] codes = x.subscribe("hearth/y/#", 1);
      // THEN the broker refuses the subscription
      assertEquals(NOT_AUTHORIZED, codes[0]);
      // AND its own command topic still works while Y's traffic never reaches it
      assertEquals(1, x.subscribe("hearth/x/set", 1)[0]);
      gateway.publish("hearth/y/set", "{\"cid\":\"c1\",\"props\":{}}", 1, false);
      gateway.publish("hearth/x/set", "{\"cid\":\"c2\",\"props\":{}}", 1, false);
      TestClient.Received first = x.poll(10, TimeUnit.SECONDS);
      assertNotNull(first, "own command never arrived");
      assertEquals("hearth/x/set", first.topic());
      assertNull(x.poll(300, TimeUnit.MILLISECONDS), "another device's message was delivered");
    }
  }

  @Test
  void fullAccessClientCanDoEverything() throws Exception {
    try (TestClient gateway = TestClient.connect(url, "gw-3", "gateway", password("gateway"));
        TestClient other = TestClient.connect(url, "gw-4", "gateway", password("gateway"))) {
      // GIVEN a retained message anywhere
      other.publish("anything/at/all", "r", 1, true);
      // WHEN a full-access client subscribes to everything
      assertEquals(2, gateway.subscribe("#", 2)[0]);
      // THEN it gets the retained message with its retain flag, and live messages at any QoS
      TestClient.Received retained = gateway.poll(10, TimeUnit.SECONDS);
      assertNotNull(retained);
      assertEquals("anything/at/all", retained.topic());
      assertTrue(retained.retained());
      other.publish("hearth/y/set", "q2", 2, false);
      TestClient.Received live = gateway.poll(10, TimeUnit.SECONDS);
      assertNotNull(live);
      assertEquals("q2", live.payload());
      assertEquals(2, live.qos());
      other.publish("anything/at/all", new byte[0], 1, true); // clear the retained message
    }
  }
}
