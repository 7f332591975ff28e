package io.hearth.adapter.mqtt;

import io.hearth.adapter.payload.MalformedPayloadException;
import io.vertx.core.Context;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the MQTT adapter's subscriptions to the bridges' own topics in step with
 * {@link MqttBridges}, and hands bridge messages to the {@link BridgeWatch}: the adapter's part of
 * bridges, kept out of {@link MqttDeviceAdapter} itself.
 */
final class BridgeSubscriptions {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeSubscriptions.class);

  private BridgeSubscriptions() {}

  /** Watches every bridge there is and follows additions and removals on the adapter's context. */
  static void follow(MqttBridges bridges, Context context, BridgeWatch watch, PahoConnection connection) {
    bridges.addListener(new MqttBridges.Listener() {
      @Override
      public void added(MqttBridge bridge) {
        context.runOnContext(v -> {
          List<String> filters = watch.add(bridge);
          if (connection.isConnected()) {
            connection.subscribe(filters).onFailure(e -> LOG.warn("bridge subscription failed [bridge: {}, reason: {}]",
                bridge.id(), e.getMessage()));
          }
        });
      }

      @Override
      public void removed(MqttBridge bridge) {
        context.runOnContext(v -> {
          List<String> filters = watch.remove(bridge.id());
          if (connection.isConnected() && !filters.isEmpty()) {
            connection.unsubscribe(filters);
          }
        });
      }
    });
    // after the listener, so that none is missed (one added meanwhile is only added twice)
    bridges.all().forEach(watch::add); // subscribed with everything else on connect
  }

  /** True if the message was a bridge's own (handled, or dropped as garbage and counted). */
  static boolean handled(BridgeWatch watch, String topic, byte[] payload, AtomicLong malformed) {
    try {
      return watch.onMessage(topic, payload);
    } catch (MalformedPayloadException e) {
      long n = malformed.incrementAndGet();
      LOG.warn("malformed bridge payload dropped [topic: {}, bytes: {}, reason: {}, dropped: {}]", topic,
          payload.length, e.getMessage(), n);
      return true;
    }
  }
}
