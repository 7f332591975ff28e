package io.hearth.adapter.mqtt;

import io.hearth.adapter.payload.JsonPayloads;
import io.vertx.core.Context;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paho's callback for one client (one connection attempt: see {@link PahoConnection}). Runs on
 * Paho's threads: it only copies, counts and hands the work to the Vert.x context, and never lets
 * anything escape (an exception thrown into Paho kills the connection, paho #549). Inbound messages
 * over the size limit, or past a bound of messages still waiting for the context, are dropped and
 * counted. The counters are shared by the callbacks of every client of one connection.
 */
final class PahoCallback implements MqttCallback {
  private static final Logger LOG = LoggerFactory.getLogger(PahoCallback.class);
  private static final int MAX_PENDING_INBOUND = 10_000;

  private final Context context;
  private final String serverUri;
  private final Consumer<String> lost;
  private final PahoConnection.Listener listener;
  private final AtomicInteger pendingInbound;
  private final AtomicLong droppedInbound;
  private final AtomicLong lastInbound;

  /**
   * @param lost           told (on the context) that the connection was lost, with a reason
   * @param listener       told (on the context) of every inbound message
   * @param pendingInbound messages handed to the context and not yet run (shared)
   * @param droppedInbound messages dropped here (shared)
   * @param lastInbound    set to {@link System#nanoTime()} on every inbound message (shared)
   */
  PahoCallback(Context context, String serverUri, Consumer<String> lost, PahoConnection.Listener listener,
      AtomicInteger pendingInbound, AtomicLong droppedInbound, AtomicLong lastInbound) {
    this.context = context;
    this.serverUri = serverUri;
    this.lost = lost;
    this.listener = listener;
    this.pendingInbound = pendingInbound;
    this.droppedInbound = droppedInbound;
    this.lastInbound = lastInbound;
  }

  @Override
  public void disconnected(MqttDisconnectResponse response) {
    try {
      String reason = response == null ? "unknown" : response.getException() != null
          ? PahoConnection.describe(response.getException()) : "broker sent DISCONNECT " + response.getReturnCode()
          + (response.getReasonString() == null ? "" : " " + response.getReasonString());
      context.runOnContext(v -> lost.accept(reason));
    } catch (Throwable t) {
      LOG.error("MQTT disconnected callback failed", t);
    }
  }

  @Override
  public void mqttErrorOccurred(MqttException exception) {
    try {
      LOG.warn("MQTT error [broker: {}, reason: {}]", serverUri, PahoConnection.describe(exception));
    } catch (Throwable ignored) {
      // never let anything escape into Paho
    }
  }

  @Override
  public void messageArrived(String topic, MqttMessage message) {
    try {
      lastInbound.set(System.nanoTime());
      byte[] payload = message.getPayload();
      if (payload.length > JsonPayloads.MAX_PAYLOAD_BYTES) {
        droppedInbound.incrementAndGet();
        LOG.warn("MQTT message dropped: too large [topic: {}, bytes: {}]", topic, payload.length);
        return;
      }
      if (pendingInbound.incrementAndGet() > MAX_PENDING_INBOUND) {
        pendingInbound.decrementAndGet();
        droppedInbound.incrementAndGet();
        LOG.warn("MQTT message dropped: gateway busy [topic: {}]", topic);
        return;
      }
      boolean retained = message.isRetained();
      if (PahoCalls.replayDuplicate(retained, message.getProperties())) {
        pendingInbound.decrementAndGet();
        return; // the same message also came for the shared filter
      }
      context.runOnContext(v -> {
        pendingInbound.decrementAndGet();
        listener.messageArrived(topic, payload, retained);
      });
    } catch (Throwable t) {
      LOG.error("MQTT message callback failed [topic: {}]", topic, t);
    }
  }

  @Override
  public void deliveryComplete(IMqttToken token) {
    // publishes complete through their own action listeners
  }

  @Override
  public void connectComplete(boolean reconnect, String uri) {
    // connects complete through their own action listeners
  }

  @Override
  public void authPacketArrived(int reasonCode, MqttProperties properties) {
    // no enhanced authentication
  }
}
