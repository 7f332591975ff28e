package io.hearth.gateway.homeassistant;

import io.vertx.core.Context;
import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paho's callback for {@link HaLink}: runs on Paho's threads, only copies what it got and hands it
 * to the Vert.x context, and never lets anything escape into Paho (an exception there kills the
 * connection, paho #549).
 */
final class HaLinkCallback implements MqttCallback {
  private static final Logger LOG = LoggerFactory.getLogger(HaLinkCallback.class);

  /** Told on the context. */
  interface Events {
    void lost(String reason);

    void arrived(String topic, String payload);

    void connected(boolean reconnect);
  }

  private final Context context;
  private final Events events;

  HaLinkCallback(Context context, Events events) {
    this.context = context;
    this.events = events;
  }

  @Override
  public void disconnected(MqttDisconnectResponse response) {
    try {
      String reason = response == null ? "unknown" : String.valueOf(response.getException() != null
          ? response.getException() : response.getReasonString());
      context.runOnContext(v -> events.lost(reason));
    } catch (Throwable t) {
      LOG.error("Home Assistant link: disconnected callback failed", t);
    }
  }

  @Override
  public void mqttErrorOccurred(MqttException exception) {
    LOG.debug("Home Assistant link error [reason: {}]", String.valueOf(exception));
  }

  @Override
  public void messageArrived(String topic, MqttMessage message) {
    try {
      String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
      context.runOnContext(v -> events.arrived(topic, payload));
    } catch (Throwable t) {
      LOG.error("Home Assistant link: message callback failed [topic: {}]", topic, t);
    }
  }

  @Override
  public void deliveryComplete(IMqttToken token) {
    // publishes complete through their own listeners
  }

  @Override
  public void connectComplete(boolean reconnect, String serverUri) {
    try {
      context.runOnContext(v -> events.connected(reconnect));
    } catch (Throwable t) {
      LOG.error("Home Assistant link: connect callback failed", t);
    }
  }

  @Override
  public void authPacketArrived(int reasonCode, MqttProperties properties) {
    // no enhanced authentication
  }
}
