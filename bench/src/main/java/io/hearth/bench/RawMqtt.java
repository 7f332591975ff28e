package io.hearth.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw MQTT baseline: a Paho MQTT 5 client that speaks the {@code hearth} convention to the
 * devices itself — publishes {@code hearth/{id}/set} {@code {"cid","props"}} (QoS 1, as the
 * gateway does) and completes when {@code hearth/{id}/reply} carries that cid. It connects
 * anonymously (the bench broker allows it) and is subject to the broker's per-client publish
 * limit like any client that is not the gateway. Replies are handed to {@code executor} at once:
 * nothing runs on Paho's callback thread.
 */
public final class RawMqtt implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RawMqtt.class);
  private static final Pattern CID = Pattern.compile("\"cid\"\\s*:\\s*\"([^\"]+)\"");

  private final MqttAsyncClient client;
  private final Executor executor;
  private final String prefix;
  private final AtomicLong next = new AtomicLong();
  private final Map<String, CompletableFuture<Boolean>> pending = new ConcurrentHashMap<>();

  public RawMqtt(String url, String clientId, Executor executor) {
    this(url, clientId, executor, List.of("hearth/+/reply"));
  }

  /**
   * A client that hears only the replies on {@code replyFilters}: several raw clients side by side
   * each subscribe to the replies of their own devices, as one client per device group would, so
   * that no reply is delivered to every client.
   */
  public RawMqtt(String url, String clientId, Executor executor, List<String> replyFilters) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.prefix = clientId + "-";
    try {
      client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
      client.setCallback(new Callback());
      MqttConnectionOptions o = new MqttConnectionOptions();
      o.setCleanStart(true);
      o.setAutomaticReconnect(false);
      o.setReceiveMaximum(65_535);
      o.setSocketFactory(new io.hearth.adapter.mqtt.NoDelaySocketFactory());
      client.connect(o).waitForCompletion(10_000);
      for (int from = 0; from < replyFilters.size(); from += 100) {
        List<String> chunk = replyFilters.subList(from, Math.min(replyFilters.size(), from + 100));
        int[] qos = new int[chunk.size()];
        java.util.Arrays.fill(qos, 1);
        client.subscribe(chunk.toArray(new String[0]), qos).waitForCompletion(10_000);
      }
    } catch (MqttException e) {
      throw new IllegalStateException("raw MQTT client cannot connect to " + url + ": " + e.getMessage(), e);
    }
  }

  /** Sends {@code props} to the device; completes (on the executor) with the reply's {@code ok}. */
  public CompletableFuture<Boolean> set(String device, String propsJson) {
    String cid = prefix + next.incrementAndGet();
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    pending.put(cid, f);
    byte[] payload = ("{\"cid\":\"" + cid + "\",\"props\":" + propsJson + "}").getBytes(StandardCharsets.UTF_8);
    MqttMessage m = new MqttMessage(payload, 1, false, new MqttProperties());
    try {
      client.publish("hearth/" + device + "/set", m, null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {}

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
          CompletableFuture<Boolean> p = pending.remove(cid);
          if (p != null) {
            executor.execute(() -> p.completeExceptionally(e));
          }
        }
      });
    } catch (MqttException e) {
      pending.remove(cid);
      f.completeExceptionally(e);
    }
    return f;
  }

  /** Requests waiting for a reply. */
  public int pending() {
    return pending.size();
  }

  @Override
  public void close() {
    try {
      client.disconnect().waitForCompletion(5_000);
    } catch (MqttException e) {
      LOG.debug("raw client disconnect: {}", e.toString());
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      LOG.debug("raw client close: {}", e.toString());
    }
  }

  private final class Callback implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) {
      try {
        String body = new String(message.getPayload(), StandardCharsets.UTF_8);
        Matcher m = CID.matcher(body);
        if (m.find()) {
          CompletableFuture<Boolean> f = pending.remove(m.group(1));
          if (f != null) {
            boolean ok = body.contains("\"ok\":true");
            executor.execute(() -> f.complete(ok));
          }
        }
      } catch (RuntimeException e) {
        LOG.warn("raw reply not handled: {}", e.toString());
      }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
      LOG.warn("raw MQTT client disconnected: {}", response.getReasonString());
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
      LOG.warn("raw MQTT client error: {}", exception.toString());
    }

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
