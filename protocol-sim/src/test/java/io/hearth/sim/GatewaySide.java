package io.hearth.sim;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
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

/** The "gateway" in tests: a plain Paho MQTT 5 client that records what it receives. */
final class GatewaySide implements AutoCloseable {

  /** One received message. */
  record Msg(String topic, String payload, boolean retained) { }

  private final MqttClient client;
  private final List<Msg> received = new ArrayList<>();

  GatewaySide(String url, String... filters) throws MqttException {
    client = new MqttClient(url, "gw-" + UUID.randomUUID(), new MemoryPersistence());
    client.setCallback(new MqttCallback() {
      @Override
      public void disconnected(MqttDisconnectResponse r) { }

      @Override
      public void mqttErrorOccurred(MqttException e) { }

      @Override
      public void messageArrived(String topic, MqttMessage m) {
        synchronized (received) {
          received.add(new Msg(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.isRetained()));
        }
      }

      @Override
      public void deliveryComplete(IMqttToken t) { }

      @Override
      public void connectComplete(boolean reconnect, String uri) { }

      @Override
      public void authPacketArrived(int reason, MqttProperties p) { }
    });
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(true);
    client.connect(o);
    MqttSubscription[] subs = new MqttSubscription[filters.length];
    for (int i = 0; i < filters.length; i++) {
      subs[i] = new MqttSubscription(filters[i], 1);
    }
    client.subscribe(subs);
  }

  void send(String topic, String payload) throws MqttException {
    MqttMessage m = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
    m.setQos(1);
    client.publish(topic, m);
  }

  List<Msg> all() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  List<Msg> on(String topic) {
    return all().stream().filter(m -> m.topic().equals(topic)).collect(Collectors.toList());
  }

  void clear() {
    synchronized (received) {
      received.clear();
    }
  }

  /** Waits for the first message on {@code topic} matching {@code p}. */
  Msg expect(String topic, Predicate<String> p) {
    return expect(topic, p, Duration.ofSeconds(5));
  }

  Msg expect(String topic, Predicate<String> p, Duration within) {
    return org.awaitility.Awaitility.await().atMost(within).until(
        () -> on(topic).stream().filter(m -> p.test(m.payload())).findFirst().orElse(null),
        m -> m != null);
  }

  int indexOf(Msg m) {
    return all().indexOf(m);
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect();
    }
    client.close();
  }
}
