package io.hearth.sim.mqtt;

import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimOptions;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.MqttClientWillOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT 5 connection of one simulated device (vertx-mqtt on the simulator's shared event
 * loops). Must be created and used on the device's context: all callbacks run there. A new link
 * is made for every (re)connection.
 */
final class MqttLink {

  private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);
  private static final long ACK_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final SimDeviceSpec spec;
  private final SimOptions options;
  private final MqttConvention convention;
  private final MqttClient client;
  private final Map<Integer, Promise<Void>> pendingAcks = new HashMap<>();
  private final Map<Integer, Promise<Void>> pendingSubAcks = new HashMap<>();
  private boolean closing;
  private boolean closed;

  MqttLink(Vertx vertx, SimOptions options, SimDeviceSpec spec, MqttConvention convention,
      Handler<MqttPublishMessage> onMessage, Runnable onLost) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.spec = Objects.requireNonNull(spec, "spec");
    this.options = Objects.requireNonNull(options, "options");
    this.convention = Objects.requireNonNull(convention, "convention");
    MqttClientOptions o = new MqttClientOptions()
        .setClientId(spec.id())
        .setCleanSession(true)
        .setKeepAliveInterval(options.keepAliveSeconds())
        .setAutoKeepAlive(true)
        .setMaxInflightQueue(1000)
        .setWillOptions(new MqttClientWillOptions()
            .setTopic(convention.availabilityTopic())
            .setMessageBytes(Buffer.buffer(convention.offlinePayload()))
            .setQos(1)
            .setRetain(true));
    o.setVersion(5);
    o.setConnectTimeout(10_000);
    if (spec.username() != null) {
      o.setUsername(spec.username());
    }
    if (spec.password() != null) {
      o.setPassword(spec.password());
    }
    this.client = MqttClient.create(vertx, o);
    client.publishHandler(msg -> {
      try {
        onMessage.handle(msg);
      } catch (RuntimeException e) {
        LOG.warn("message handling failed [device: {}, topic: {}]", spec.id(), msg.topicName(), e);
      }
    });
    client.publishCompletionHandler(id -> complete(pendingAcks, id, null));
    client.publishCompletionExpirationHandler(id -> complete(pendingAcks, id, "no PUBACK"));
    client.subscribeCompletionHandler(ack -> {
      boolean refused = ack.grantedQoSLevels().stream().anyMatch(q -> q >= 0x80);
      complete(pendingSubAcks, ack.messageId(), refused ? "subscription refused " + ack.grantedQoSLevels() : null);
    });
    client.closeHandler(v -> {
      boolean unexpected = !closing && !closed;
      closed = true;
      failAll("connection closed");
      if (unexpected) {
        LOG.info("connection lost [device: {}]", spec.id());
        onLost.run();
      }
    });
    client.exceptionHandler(e -> LOG.debug("connection error [device: {}]: {}", spec.id(), e.toString()));
  }

  /** Connects and subscribes to the convention's command topics. */
  Future<Void> connect() {
    return client.connect(options.mqttPort(), options.mqttHost())
        .compose(ack -> {
          if (ack.code().byteValue() != 0) {
            return Future.failedFuture("CONNACK " + ack.code());
          }
          Map<String, Integer> topics = new HashMap<>();
          for (String t : convention.subscriptions()) {
            topics.put(t, 1);
          }
          return client.subscribe(topics);
        })
        .compose(id -> awaitAck(pendingSubAcks, id))
        .onFailure(e -> {
          closing = true;
          if (client.isConnected()) {
            client.disconnect();
          }
        });
  }

  boolean connected() {
    return !closed && !closing && client.isConnected();
  }

  /** Publishes with QoS 1; completes when the broker acknowledged it. */
  Future<Void> publish(Publication p) {
    if (!connected()) {
      return Future.failedFuture("not connected");
    }
    return client.publish(p.topic(), Buffer.buffer(p.payload()), MqttQoS.AT_LEAST_ONCE, false, p.retain())
        .compose(id -> awaitAck(pendingAcks, id));
  }

  /** Publishes several in order; completes when all were acknowledged. */
  Future<Void> publishAll(List<Publication> ps) {
    Future<Void> last = Future.succeededFuture();
    for (Publication p : ps) {
      Future<Void> f = publish(p);
      last = last.compose(v -> f);
    }
    return last;
  }

  /**
   * Ends the connection. With will: an MQTT 5 DISCONNECT with reason 0x04 (disconnect with will
   * message), which makes the broker publish the will as for a dropped connection. Without: a
   * normal DISCONNECT, after which the broker discards the will.
   */
  Future<Void> disconnect(boolean withWill) {
    closing = true;
    if (closed || !client.isConnected()) {
      return Future.succeededFuture();
    }
    return client.disconnect(withWill ? MqttDisconnectReasonCode.WITH_WILL_MESSAGE : MqttDisconnectReasonCode.NORMAL,
        MqttProperties.NO_PROPERTIES);
  }

  private Future<Void> awaitAck(Map<Integer, Promise<Void>> pending, int packetId) {
    Promise<Void> p = Promise.promise();
    pending.put(packetId, p);
    long timer = vertx.setTimer(ACK_TIMEOUT_MS, t -> complete(pending, packetId, "ack timeout"));
    return p.future().andThen(r -> vertx.cancelTimer(timer));
  }

  private static void complete(Map<Integer, Promise<Void>> pending, int id, String error) {
    Promise<Void> p = pending.remove(id);
    if (p != null) {
      if (error == null) {
        p.tryComplete();
      } else {
        p.tryFail(error);
      }
    }
  }

  private void failAll(String error) {
    for (Promise<Void> p : List.copyOf(pendingAcks.values())) {
      p.tryFail(error);
    }
    for (Promise<Void> p : List.copyOf(pendingSubAcks.values())) {
      p.tryFail(error);
    }
    pendingAcks.clear();
    pendingSubAcks.clear();
  }
}
