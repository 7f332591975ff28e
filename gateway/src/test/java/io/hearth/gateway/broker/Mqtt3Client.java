package io.hearth.gateway.broker;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.MqttClientWillOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An MQTT 3.1.1 client for tests (vertx-mqtt, as Tasmota's PubSubClient speaks it): QoS 1
 * publishes wait for their PUBACK, subscriptions return the SUBACK return codes, {@link #closed}
 * completes when the broker ends the connection. Every call runs on the client's own context.
 */
final class Mqtt3Client implements AutoCloseable {

  private final Context context;
  private final MqttClient client;
  private final Map<Integer, CompletableFuture<Void>> pubacks = new ConcurrentHashMap<>();
  private final Map<Integer, CompletableFuture<List<Integer>>> subacks = new ConcurrentHashMap<>();
  /** Completes when the connection is closed, by either side. */
  final CompletableFuture<Void> closed = new CompletableFuture<>();

  private Mqtt3Client(Vertx vertx, MqttClientOptions options) {
    this.context = vertx.getOrCreateContext();
    this.client = MqttClient.create(vertx, options);
    client.publishCompletionHandler(id -> ack(pubacks, id).complete(null));
    client.subscribeCompletionHandler(a -> ack(subacks, a.messageId()).complete(a.grantedQoSLevels()));
    client.closeHandler(v -> closed.complete(null));
  }

  /**
   * Connects with a will on {@code willTopic} (null for none); fails when the CONNECT is refused.
   */
  static Mqtt3Client connect(Vertx vertx, int port, String clientId, String user, String password,
      String willTopic) throws Exception {
    MqttClientOptions o = new MqttClientOptions().setClientId(clientId).setCleanSession(true)
        .setAutoKeepAlive(true).setKeepAliveInterval(30);
    if (user != null) {
      o.setUsername(user).setPassword(password);
    }
    if (willTopic != null) {
      o.setWillOptions(new MqttClientWillOptions().setTopic(willTopic)
          .setMessageBytes(Buffer.buffer("Offline")).setQos(1).setRetain(true));
    }
    Mqtt3Client c = new Mqtt3Client(vertx, o);
    c.call(() -> c.client.connect(port, BrokerTestSupport.HOST)).get(15, TimeUnit.SECONDS);
    return c;
  }

  /** Publishes; for QoS 1 returns once the broker acknowledged it. */
  void publish(String topic, String payload, int qos, boolean retain) throws Exception {
    Buffer body = Buffer.buffer(payload.getBytes(StandardCharsets.UTF_8));
    int id = call(() -> client.publish(topic, body, MqttQoS.valueOf(qos), false, retain)).get(10, TimeUnit.SECONDS);
    if (qos > 0) {
      ack(pubacks, id).get(10, TimeUnit.SECONDS);
    }
  }

  /** Subscribes at QoS 0; returns the SUBACK return codes (0x80 = failure). */
  List<Integer> subscribe(String filter) throws Exception {
    int id = call(() -> client.subscribe(filter, 0)).get(10, TimeUnit.SECONDS);
    return ack(subacks, id).get(10, TimeUnit.SECONDS);
  }

  boolean isConnected() {
    return client.isConnected() && !closed.isDone();
  }

  @Override
  public void close() throws Exception {
    if (isConnected()) {
      call(client::disconnect).get(10, TimeUnit.SECONDS);
    }
  }

  private static <T> CompletableFuture<T> ack(Map<Integer, CompletableFuture<T>> pending, int id) {
    return pending.computeIfAbsent(id, k -> new CompletableFuture<>());
  }

  private <T> CompletableFuture<T> call(Supplier<Future<T>> action) {
    CompletableFuture<T> out = new CompletableFuture<>();
    context.runOnContext(v -> action.get().onComplete(r -> {
      if (r.succeeded()) {
        out.complete(r.result());
      } else {
        out.completeExceptionally(r.cause());
      }
    }));
    return out;
  }
}
