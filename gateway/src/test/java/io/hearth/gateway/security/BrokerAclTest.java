package io.hearth.gateway.security;

import static io.hearth.gateway.security.TestGateway.PAIRING_CODE;
import static io.hearth.gateway.security.TestGateway.X;
import static io.hearth.gateway.security.TestGateway.X_PASSWORD;
import static io.hearth.gateway.security.TestGateway.Y;
import static io.hearth.gateway.security.TestGateway.Y_PASSWORD;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device credentials and topic confinement on the gateway's embedded broker, with real MQTT 5
 * clients: anonymous and wrong passwords are refused, and device X can neither read Y's topics nor
 * change Y's state in the gateway.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BrokerAclTest {
  private static final int NOT_AUTHORIZED = 0x87;

  @TempDir static Path tmp;
  static TestGateway gw;
  static String owner;

  @BeforeAll
  static void start() throws Exception {
    gw = TestGateway.start(tmp.resolve("data"), false);
    owner = gw.pair(PAIRING_CODE, "owner").getString("accessToken");
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
  }

  private static MqttClient connect(String clientId, String user, String password) throws MqttException {
    MqttClient c = new MqttClient(gw.mqttUrl(), clientId, new MemoryPersistence());
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setAutomaticReconnect(false);
    o.setConnectionTimeout(10);
    if (user != null) {
      o.setUserName(user);
      o.setPassword(password.getBytes(StandardCharsets.UTF_8));
    }
    try {
      c.connect(o);
    } catch (MqttException e) {
      c.close(true);
      throw e;
    }
    return c;
  }

  private static void publish(MqttClient c, String topic, String payload) throws MqttException {
    MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
    m.setQos(1);
    c.publish(topic, m);
  }

  private static JsonObject state(String id) throws Exception {
    var r = gw.call(HttpMethod.GET, "/devices/" + id, owner, null);
    assertEquals(200, r.statusCode());
    return r.bodyAsJsonObject().getJsonObject("state");
  }

  @Test
  void anonymousAndWrongPasswordsAreRefused() {
    assertThrows(MqttException.class, () -> connect("anon", null, null));
    assertThrows(MqttException.class, () -> connect("x-wrong", X, "not-the-password"));
    assertThrows(MqttException.class, () -> connect("x-as-y", X, Y_PASSWORD));
  }

  @Test
  void deviceXCannotReadOrWriteDeviceYsTopics() throws Exception {
    MqttClient y = connect("dev-y", Y, Y_PASSWORD);
    MqttClient x = connect("dev-x", X, X_PASSWORD);
    try {
      // GIVEN X's own state reaches the gateway (the path works)
      publish(x, "hearth/" + X + "/state", "{\"brightness\":42}");
      await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(42).equals(state(X).getInteger("brightness")));

      // WHEN X subscribes to Y's topics THEN the broker refuses the subscription
      int[] codes = x.subscribe(new MqttSubscription[] {new MqttSubscription("hearth/" + Y + "/#", 1)})
          .getReasonCodes();
      assertEquals(NOT_AUTHORIZED, codes[0]);

      // WHEN X publishes a state for Y (MQTT 5: answered NOT_AUTHORIZED in the PUBACK, which the
      // synchronous Paho client does not raise)
      publish(x, "hearth/" + Y + "/state", "{\"power\":true,\"brightness\":99}");
      // THEN Y's state in the gateway only ever shows what Y itself reports, published after X's try
      publish(y, "hearth/" + Y + "/state", "{\"brightness\":7}");
      await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(7).equals(state(Y).getInteger("brightness")));
      JsonObject yState = state(Y);
      assertFalse(yState.containsKey("power"), yState.encode());
      assertTrue(yState.getInteger("brightness") == 7);
      // AND the broker dropped X's publish without disconnecting X: its own state still gets through
      publish(x, "hearth/" + X + "/state", "{\"brightness\":43}");
      await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(43).equals(state(X).getInteger("brightness")));
      assertTrue(x.isConnected());
    } finally {
      if (x.isConnected()) {
        x.disconnect();
      }
      x.close(true);
      y.disconnect();
      y.close(true);
    }
  }
}
