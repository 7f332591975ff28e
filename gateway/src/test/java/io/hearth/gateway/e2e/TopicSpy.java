package io.hearth.gateway.e2e;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A plain MQTT 5 client (Paho) that records what arrives on some topics: it proves what the
 * gateway did or did not publish to a device, independently of the simulator. It can also publish
 * as a device (e.g. clear retained messages).
 */
final class TopicSpy implements AutoCloseable {
  private final MqttClient client;
  private final List<String> received = new CopyOnWriteArrayList<>();

  TopicSpy(String url, String clientId, String username, String password) {
    try {
      client = new MqttClient(url, clientId, new MemoryPersistence());
      client.setCallback(new MqttCallback() {
        @Override
        public void disconnected(MqttDisconnectResponse r) { }

        @Override
        public void mqttErrorOccurred(MqttException e) { }

        @Override
        public void messageArrived(String topic, MqttMessage m) {
          received.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void deliveryComplete(IMqttToken t) { }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) { }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties p) { }
      });
      MqttConnectionOptions o = new MqttConnectionOptions();
      o.setUserName(username);
      o.setPassword(password.getBytes(StandardCharsets.UTF_8));
      o.setCleanStart(true);
      o.setConnectionTimeout(10);
      client.connect(o);
    } catch (MqttException e) {
      throw new IllegalStateException("spy cannot connect to " + url + ": " + e, e);
    }
  }

  TopicSpy subscribe(String... filters) {
    try {
      for (String f : filters) {
        IMqttToken t = client.subscribe(f, 1);
        int[] codes = t.getReasonCodes();
        if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
          throw new IllegalStateException("subscription to " + f + " refused: " + codes[0]);
        }
      }
    } catch (MqttException e) {
      throw new IllegalStateException(e);
    }
    return this;
  }

  void publish(String topic, byte[] payload, boolean retained) {
    try {
      client.publish(topic, payload, 1, retained);
    } catch (MqttException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Messages received so far, as {@code "topic payload"}. */
  List<String> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect(5000);
      }
      client.close(true);
    } catch (MqttException e) {
      // best effort
    }
  }
}
