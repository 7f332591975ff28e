package io.hearth.gateway.broker;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A Paho MQTT 5 client for tests. Received messages land in a queue (the Paho callback does nothing
 * else); subscriptions use the MqttSubscription[] overload (Paho 1.2.5's listener overload recurses).
 */
final class TestClient implements AutoCloseable {

  /** A message as received. */
  record Received(String topic, String payload, boolean retained, int qos) {}

  private final MqttClient client;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final AtomicLong receivedBytes = new AtomicLong();

  private TestClient(MqttClient client) {
    this.client = client;
  }

  /** Connects; user null = anonymous. Throws the MqttException of a refused CONNECT. */
  static TestClient connect(String url, String clientId, String user, String password)
      throws MqttException {
    return connect(url, clientId, user, password, true, 0);
  }

  static TestClient connect(
      String url,
      String clientId,
      String user,
      String password,
      boolean cleanStart,
      long sessionExpirySeconds)
      throws MqttException {
    MqttClient client = new MqttClient(url, clientId, new MemoryPersistence());
    TestClient test = new TestClient(client);
    client.setCallback(test.callback());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(cleanStart);
    options.setSessionExpiryInterval(sessionExpirySeconds);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(10);
    if (user != null) {
      options.setUserName(user);
    }
    if (password != null) {
      options.setPassword(password.getBytes(StandardCharsets.UTF_8));
    }
    try {
      client.connect(options);
    } catch (MqttException e) {
      client.close(true);
      throw e;
    }
    return test;
  }

  /** Subscribes; returns the SUBACK reason codes (≥ 0x80 is a failure). */
  int[] subscribe(String filter, int qos) throws MqttException {
    IMqttToken token = client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)});
    return token.getReasonCodes();
  }

  void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
    publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
  }

  void publish(String topic, byte[] payload, int qos, boolean retained) throws MqttException {
    MqttMessage message = new MqttMessage(payload);
    message.setQos(qos);
    message.setRetained(retained);
    client.publish(topic, message);
  }

  /** The next message, or null after the timeout. */
  Received poll(long timeout, TimeUnit unit) throws InterruptedException {
    return received.poll(timeout, unit);
  }

  long receivedBytes() {
    return receivedBytes.get();
  }

  boolean isConnected() {
    return client.isConnected();
  }

  @Override
  public void close() throws MqttException {
    try {
      if (client.isConnected()) {
        client.disconnect(2000);
      }
    } catch (MqttException ignored) {
      // closing anyway
    }
    client.close(true);
  }

  private MqttCallback callback() {
    return new MqttCallback() {
      @Override
      public void disconnected(MqttDisconnectResponse response) {}

      @Override
      public void mqttErrorOccurred(MqttException exception) {}

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        receivedBytes.addAndGet(message.getPayload().length);
        received.add(
            new Received(
                topic,
                new String(message.getPayload(), StandardCharsets.UTF_8),
                message.isRetained(),
                message.getQos()));
      }

      @Override
      public void deliveryComplete(IMqttToken token) {}

      @Override
      public void connectComplete(boolean reconnect, String serverURI) {}

      @Override
      public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    };
  }
}
