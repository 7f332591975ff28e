package io.hearth.adapter.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A plain Paho client playing a device, for component tests. Blocking calls: test thread only. */
final class DeviceClient implements AutoCloseable {

  /** A message the device received. */
  record Received(String topic, MqttMessage message) {
    String text() {
      return new String(message.getPayload(), StandardCharsets.UTF_8);
    }
  }

  private final MqttAsyncClient client;
  final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

  DeviceClient(String uri, String clientId) throws MqttException {
    client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
    client.setCallback(new MqttCallback() {
      @Override
      public void disconnected(MqttDisconnectResponse r) {}

      @Override
      public void mqttErrorOccurred(MqttException e) {}

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        received.add(new Received(topic, message));
      }

      @Override
      public void deliveryComplete(IMqttToken token) {}

      @Override
      public void connectComplete(boolean reconnect, String serverUri) {}

      @Override
      public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    });
  }

  DeviceClient connect(String willTopic, String willPayload) throws MqttException {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setSocketFactory(new NoDelaySocketFactory());
    o.setConnectionTimeout(5);
    if (willTopic != null) {
      o.setWill(willTopic, new MqttMessage(willPayload.getBytes(StandardCharsets.UTF_8), 1, true, new MqttProperties()));
    }
    client.connect(o).waitForCompletion(10_000);
    return this;
  }

  void subscribe(String... filters) throws MqttException {
    MqttSubscription[] subs = new MqttSubscription[filters.length];
    for (int i = 0; i < filters.length; i++) {
      subs[i] = new MqttSubscription(filters[i], 1);
    }
    client.subscribe(subs).waitForCompletion(10_000);
  }

  void publish(String topic, String payload, boolean retained) throws MqttException {
    publish(topic, payload.getBytes(StandardCharsets.UTF_8), retained);
  }

  void publish(String topic, byte[] payload, boolean retained) throws MqttException {
    client.publish(topic, new MqttMessage(payload, 1, retained, new MqttProperties())).waitForCompletion(10_000);
  }

  Received next() throws InterruptedException {
    Received r = received.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("device received nothing within 10 s");
    }
    return r;
  }

  /** Drops the TCP connection without DISCONNECT, so the broker publishes the will. */
  void crash() throws MqttException {
    client.disconnectForcibly(0, 1_000, false);
  }

  @Override
  public void close() throws Exception {
    if (client.isConnected()) {
      client.disconnect().waitForCompletion(5_000);
    }
    client.close(true);
  }
}
