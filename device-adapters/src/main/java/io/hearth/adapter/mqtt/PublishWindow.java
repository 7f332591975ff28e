package io.hearth.adapter.mqtt;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.client.MqttClientException;

/**
 * The QoS 1 publishes of one connection: at most {@code window} await their PUBACK (the smaller of
 * our limit and the broker's Receive Maximum); the rest wait in a bounded local queue, in order.
 * Every publish carries an MQTT 5 message expiry from its deadline, and one whose deadline passed
 * while queued is failed, never sent. A publish larger than the connection's maximum packet size
 * (ours or the broker's) is failed, never handed to Paho: Paho would end the connection over it,
 * and a broker must (MQTT 5 §3.2.2.3.6). Used on the adapter's Vert.x context only.
 */
final class PublishWindow {
  private final int maxQueued;
  private final Consumer<Runnable> hop;
  private final Set<Pending> inFlight = new HashSet<>();
  private final ArrayDeque<Pending> queued = new ArrayDeque<>();
  private MqttAsyncClient client;
  private int window;
  private long maxPacket = Long.MAX_VALUE;

  /**
   * @param maxQueued most publishes waiting for a place in the window
   * @param hop       hands a Paho callback's continuation to the Vert.x context
   */
  PublishWindow(int maxQueued, Consumer<Runnable> hop) {
    this.maxQueued = maxQueued;
    this.hop = hop;
  }

  /**
   * The connection is up: publish through this client, at most {@code window} at a time, none
   * larger than {@code maxPacketBytes} on the wire.
   */
  void open(MqttAsyncClient connected, int newWindow, long maxPacketBytes) {
    this.client = connected;
    this.window = newWindow;
    this.maxPacket = maxPacketBytes;
    drain();
  }

  /** An upper bound of a QoS 1 PUBLISH's size with a message expiry (MQTT 5 §3.3). */
  static long packetSize(String topic, byte[] payload) {
    long topicBytes = topic.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    long remaining = 2 + topicBytes + 2 + 1 + 5 + payload.length; // topic, packet id, properties
    return 1 + 4 + remaining;
  }

  /** The connection is gone: fail everything queued or awaiting its PUBACK. */
  void close(String reason) {
    client = null;
    List<Pending> all = new ArrayList<>(inFlight);
    all.addAll(queued);
    inFlight.clear();
    queued.clear();
    for (Pending p : all) {
      p.promise.tryFail(new IllegalStateException(reason));
    }
  }

  Future<Void> publish(String topic, byte[] payload, Instant expiresAt) {
    if (queued.size() >= maxQueued) {
      return Future.failedFuture(new IllegalStateException("too many MQTT commands waiting to be sent"));
    }
    if (packetSize(topic, payload) > maxPacket) {
      return Future.failedFuture(new IllegalStateException("command too large for the MQTT broker ("
          + packetSize(topic, payload) + " bytes, maximum packet size " + maxPacket + ")"));
    }
    Pending p = new Pending(topic, payload, expiresAt, Promise.promise());
    queued.add(p);
    drain();
    return p.promise.future();
  }

  private void drain() {
    while (client != null && inFlight.size() < window && !queued.isEmpty()) {
      Pending p = queued.poll();
      if (packetSize(p.topic, p.payload) > maxPacket) {
        p.promise.tryFail(new IllegalStateException("command too large for the MQTT broker's maximum packet size "
            + maxPacket));
        continue;
      }
      long remainingMs = Duration.between(Instant.now(), p.expiresAt).toMillis();
      if (remainingMs <= 0) {
        p.promise.tryFail(new IllegalStateException("command expired before it could be sent"));
        continue;
      }
      // whole seconds, rounded down so that the broker never delivers it past expiresAt; at least 1
      long expiry = Math.max(1, remainingMs / 1000);
      MqttProperties props = new MqttProperties();
      props.setMessageExpiryInterval(expiry);
      MqttMessage message = new MqttMessage(p.payload, 1, false, props);
      inFlight.add(p);
      try {
        client.publish(p.topic, message, null, new MqttActionListener() {
          @Override
          public void onSuccess(IMqttToken token) {
            hop.accept(() -> completed(p, null));
          }

          @Override
          public void onFailure(IMqttToken token, Throwable error) {
            String reason = PahoConnection.describe(error);
            hop.accept(() -> completed(p, reason));
          }
        });
      } catch (MqttException e) {
        inFlight.remove(p);
        if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT && !inFlight.isEmpty()) {
          queued.addFirst(p); // the broker's window is smaller than we knew: wait for a PUBACK
          window = Math.max(1, inFlight.size());
          return;
        }
        p.promise.tryFail(new IllegalStateException("MQTT publish failed: " + PahoConnection.describe(e)));
      } catch (RuntimeException e) {
        inFlight.remove(p);
        p.promise.tryFail(new IllegalStateException("MQTT publish failed: " + PahoConnection.describe(e)));
      }
    }
  }

  private void completed(Pending p, String failure) {
    if (!inFlight.remove(p)) {
      return; // already failed by a connection loss or stop
    }
    if (failure == null) {
      p.promise.tryComplete();
    } else {
      p.promise.tryFail(new IllegalStateException("MQTT publish failed: " + failure));
    }
    drain();
  }

  /** A publish waiting in the queue or for its PUBACK. Identity semantics. */
  private static final class Pending {
    final String topic;
    final byte[] payload;
    final Instant expiresAt;
    final Promise<Void> promise;

    Pending(String topic, byte[] payload, Instant expiresAt, Promise<Void> promise) {
      this.topic = topic;
      this.payload = payload;
      this.expiresAt = expiresAt;
      this.promise = promise;
    }
  }
}
