package io.hearth.sim.mqtt;

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
 * One MQTT connection of one simulated device or bridge (vertx-mqtt on the simulator's shared event
 * loops), MQTT 5 or 3.1.1 as {@link LinkOptions} say. Must be created and used on its owner's
 * context: all callbacks run there. A new link is made for every (re)connection. Internal to the
 * simulator.
 */
public final class MqttLink {

  private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);
  private static final long ACK_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final String owner;
  private final SimOptions options;
  private final LinkOptions link;
  private final MqttClient client;
  private final Map<Integer, Promise<Void>> pendingAcks = new HashMap<>();
  private final Map<Integer, Promise<Void>> pendingSubAcks = new HashMap<>();
  private boolean closing;
  private boolean closed;

  /**
   * @param owner     id for log lines (device or bridge id)
   * @param onMessage every PUBLISH received
   * @param onLost    called when the connection ends without {@link #disconnect} being asked
   */
  public MqttLink(Vertx vertx, SimOptions options, String owner, LinkOptions link,
      Handler<MqttPublishMessage> onMessage, Runnable onLost) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.owner = Objects.requireNonNull(owner, "owner");
    this.options = Objects.requireNonNull(options, "options");
    this.link = Objects.requireNonNull(link, "link");
    MqttClientOptions o = new MqttClientOptions()
        .setClientId(link.clientId())
        .setCleanSession(true)
        .setKeepAliveInterval(link.keepAliveSeconds() > 0 ? link.keepAliveSeconds() : options.keepAliveSeconds())
        .setAutoKeepAlive(true)
        .setMaxInflightQueue(1000)
        // a Zigbee2MQTT bridge receives its own bridge/devices (several KiB) back through <base>/#
        .setMaxMessageSize(4 * 1024 * 1024)
        .setWillOptions(new MqttClientWillOptions()
            .setTopic(link.willTopic())
            .setMessageBytes(Buffer.buffer(link.willPayload()))
            .setQos(1)
            .setRetain(link.willRetain()));
    o.setVersion(link.mqttVersion());
    o.setConnectTimeout(10_000);
    if (link.username() != null) {
      o.setUsername(link.username());
    }
    if (link.password() != null) {
      o.setPassword(link.password());
    }
    this.client = MqttClient.create(vertx, o);
    client.publishHandler(msg -> {
      try {
        onMessage.handle(msg);
      } catch (RuntimeException e) {
        LOG.warn("message handling failed [device: {}, topic: {}]", owner, msg.topicName(), e);
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
        LOG.info("connection lost [device: {}]", owner);
        onLost.run();
      }
    });
    client.exceptionHandler(e -> LOG.debug("connection error [device: {}]: {}", owner, e.toString()));
  }

  /** Connects (CONNECT/CONNACK only); subscriptions are {@link #subscribe()}. */
  public Future<Void> connect() {
    return client.connect(options.mqttPort(), options.mqttHost())
        .compose(ack -> ack.code().byteValue() != 0
            ? Future.<Void>failedFuture("CONNACK " + ack.code()) : Future.<Void>succeededFuture())
        .onFailure(e -> abort());
  }

  /**
   * Subscribes to {@link LinkOptions#subscriptions()}, one SUBSCRIBE per filter in order (as
   * Tasmota's {@code MqttConnected} calls {@code MqttSubscribe} once per topic). A refusal fails the
   * future only when {@link LinkOptions#requireSubscriptions()}; otherwise it is logged, as the
   * firmware would not notice it.
   */
  public Future<Void> subscribe() {
    Future<Void> chain = Future.succeededFuture();
    for (String t : link.subscriptions()) {
      chain = chain.compose(v -> subscribeOne(t));
    }
    return chain.onFailure(e -> abort());
  }

  private Future<Void> subscribeOne(String filter) {
    return client.subscribe(filter, link.subscribeQos())
        .compose(id -> awaitAck(pendingSubAcks, id))
        .recover(e -> {
          if (link.requireSubscriptions() || !connected()) {
            return Future.failedFuture(e);
          }
          LOG.info("subscription refused, carrying on as the firmware does [client: {}, filter: {}]: {}",
              link.clientId(), filter, e.getMessage());
          return Future.succeededFuture();
        });
  }

  private void abort() {
    closing = true;
    if (client.isConnected()) {
      client.disconnect();
    }
  }

  public boolean connected() {
    return !closed && !closing && client.isConnected();
  }

  /** Publishes with QoS 1; completes when the broker acknowledged it. */
  public Future<Void> publish(Publication p) {
    if (!connected()) {
      return Future.failedFuture("not connected");
    }
    return client.publish(p.topic(), Buffer.buffer(p.payload()), MqttQoS.AT_LEAST_ONCE, false, p.retain())
        .compose(id -> awaitAck(pendingAcks, id));
  }

  /** Publishes several in order; completes when all were acknowledged. */
  public Future<Void> publishAll(List<Publication> ps) {
    Future<Void> last = Future.succeededFuture();
    for (Publication p : ps) {
      Future<Void> f = publish(p);
      last = last.compose(v -> f);
    }
    return last;
  }

  /**
   * Ends the connection. With will, the connection dies as on a power cut: MQTT 5 sends DISCONNECT
   * with reason 0x04 (disconnect with will message), MQTT 3.1.1 has no such reason, so the TCP
   * connection is closed without any DISCONNECT; either way the broker publishes the will. Without
   * will: a normal DISCONNECT, after which the broker discards the will.
   */
  public Future<Void> disconnect(boolean withWill) {
    closing = true;
    if (closed || !client.isConnected()) {
      return Future.succeededFuture();
    }
    if (withWill && link.mqttVersion() < 5) {
      return dropSocket();
    }
    if (link.mqttVersion() < 5) {
      return client.disconnect();
    }
    return client.disconnect(withWill ? MqttDisconnectReasonCode.WITH_WILL_MESSAGE : MqttDisconnectReasonCode.NORMAL,
        MqttProperties.NO_PROPERTIES);
  }

  /**
   * Closes the client's TCP socket without a DISCONNECT packet. vertx-mqtt has no public call for
   * it, so this reads its private {@code connection} field (vertx-mqtt 5.1: {@code MqttClientImpl}).
   */
  private Future<Void> dropSocket() {
    try {
      java.lang.reflect.Field f = client.getClass().getDeclaredField("connection");
      f.setAccessible(true);
      Object socket = f.get(client);
      if (socket instanceof io.vertx.core.net.NetSocket s) {
        return s.close();
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("cannot drop the TCP connection of client {}; sending DISCONNECT instead: {}", link.clientId(),
          e.toString());
    }
    return client.disconnect();
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
