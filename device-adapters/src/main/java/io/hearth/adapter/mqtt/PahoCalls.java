package io.hearth.adapter.mqtt;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Paho's SUBSCRIBE and UNSUBSCRIBE as futures completed on the adapter's context (through
 * {@code hop}). Never throws.
 */
final class PahoCalls {
  private PahoCalls() {
  }

  private static final int MAX_FILTERS_PER_SUBSCRIBE = 200;
  /** The MQTT 5 subscription identifier of the filters an adapter shares per convention ({@code hearth/+/state}). */
  static final int SHARED_ID = 1;
  /** The identifier of a device's own filters subscribed beside the shared ones to replay its retained messages. */
  static final int REPLAY_ID = 2;

  /**
   * QoS 1, at most 200 filters per SUBSCRIBE; succeeds once every filter is granted.
   *
   * @param subscriptionId the MQTT 5 subscription identifier to give them, or null for none
   */
  static Future<Void> subscribe(MqttAsyncClient client, List<String> filters, Integer subscriptionId,
      Consumer<Runnable> hop) {
    List<Future<Void>> parts = new ArrayList<>();
    for (int i = 0; i < filters.size(); i += MAX_FILTERS_PER_SUBSCRIBE) {
      List<String> chunk = filters.subList(i, Math.min(filters.size(), i + MAX_FILTERS_PER_SUBSCRIBE));
      parts.add(subscribeChunk(client, List.copyOf(chunk), subscriptionId, hop));
    }
    return Future.all(parts).mapEmpty();
  }

  /**
   * A live message the broker delivered for a replay subscription only: with several of a client's
   * subscriptions matching, HiveMQ sends one copy per subscription, each with its identifier, and
   * the copy for the shared filter is the one delivered.
   */
  static boolean replayDuplicate(boolean retained, MqttProperties properties) {
    List<Integer> ids = properties == null ? null : properties.getSubscriptionIdentifiers();
    return !retained && ids != null && ids.contains(REPLAY_ID) && !ids.contains(SHARED_ID);
  }

  private static Future<Void> subscribeChunk(MqttAsyncClient client, List<String> filters, Integer subscriptionId,
      Consumer<Runnable> hop) {
    MqttProperties properties = new MqttProperties();
    if (subscriptionId != null) {
      properties.setSubscriptionIdentifier(subscriptionId);
    }
    Promise<Void> promise = Promise.promise();
    MqttSubscription[] subs = filters.stream().map(f -> new MqttSubscription(f, 1)).toArray(MqttSubscription[]::new);
    try {
      client.subscribe(subs, null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          int[] codes = token.getReasonCodes();
          String refused = null;
          for (int i = 0; codes != null && i < codes.length; i++) {
            if (codes[i] >= 0x80) {
              refused = (i < filters.size() ? filters.get(i) : "?") + " (reason code 0x" + Integer.toHexString(codes[i]) + ")";
              break;
            }
          }
          String r = refused;
          hop.accept(() -> {
            if (r == null) {
              promise.tryComplete();
            } else {
              promise.tryFail(new IllegalStateException("broker refused subscription " + r));
            }
          });
        }

        @Override
        public void onFailure(IMqttToken token, Throwable error) {
          String reason = PahoConnection.describe(error);
          hop.accept(() -> promise.tryFail(new IllegalStateException("MQTT subscribe failed: " + reason)));
        }
      }, properties);
    } catch (MqttException | RuntimeException e) {
      promise.tryFail(new IllegalStateException("MQTT subscribe failed: " + PahoConnection.describe(e)));
    }
    return promise.future();
  }

  /** Succeeds on UNSUBACK, whatever its reason codes. */
  static Future<Void> unsubscribe(MqttAsyncClient client, List<String> filters, Consumer<Runnable> hop) {
    Promise<Void> promise = Promise.promise();
    try {
      client.unsubscribe(filters.toArray(String[]::new), null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          hop.accept(promise::tryComplete);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable error) {
          String reason = PahoConnection.describe(error);
          hop.accept(() -> promise.tryFail(new IllegalStateException("MQTT unsubscribe failed: " + reason)));
        }
      }, new MqttProperties());
    } catch (MqttException | RuntimeException e) {
      promise.tryFail(new IllegalStateException("MQTT unsubscribe failed: " + PahoConnection.describe(e)));
    }
    return promise.future();
  }
}
