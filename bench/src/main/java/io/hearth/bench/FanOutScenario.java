package io.hearth.bench;

import io.hearth.sim.SimDevice;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.eclipse.paho.mqttv5.client.IMqttToken;
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
 * Scenario 3, fan-out: simulated devices publish state changes at a fixed rate; N clients receive
 * them. Raw: N Paho clients subscribed to {@code hearth/+/state}. Gateway: N app WebSockets
 * subscribed to {@code state} events. Latency is device publish (its intended time) → frame
 * received, correlated by (device, brightness); frames per second are all clients together.
 */
final class FanOutScenario {
  static final int WARM_UP_SECONDS = 10;
  private static final Logger LOG = LoggerFactory.getLogger(FanOutScenario.class);
  static final int DEVICES = 10;
  private static final Pattern WS_EVENT = Pattern.compile("\"device\":\"([^\"]+)\".*\"brightness\":(\\d+)");

  private final BenchOptions options;
  private final BenchHome home;
  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  private final AtomicLong frames = new AtomicLong();
  private final Histogram histogram = Latency.histogram();
  private volatile boolean measuring;

  FanOutScenario(BenchOptions options, BenchHome home) {
    this.options = Objects.requireNonNull(options, "options");
    this.home = Objects.requireNonNull(home, "home");
  }

  JsonObject run(Map<String, Histogram> histograms) throws Exception {
    JsonObject out = new JsonObject();
    int rate = options.quick() ? 50 : 100;
    for (int n : options.wsClients()) {
      JsonObject raw = rawRun(n, rate);
      histograms.put("fan-out " + n + " raw", histogram.copy());
      JsonObject gw = gatewayRun(n, rate);
      histograms.put("fan-out " + n + " ws", histogram.copy());
      out.put("clients" + n, new JsonObject().put("updatesPerSecond", rate).put("raw", raw).put("gateway", gw)
          .put("ratioP99", RoundTripScenario.round(gw.getJsonObject("latency").getDouble("p99Us")
              / raw.getJsonObject("latency").getDouble("p99Us"))));
    }
    return out;
  }

  private JsonObject rawRun(int n, int rate) throws Exception {
    List<MqttAsyncClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        MqttAsyncClient c = new MqttAsyncClient(home.app().mqttUrl(), "bench-fan-" + i, new MemoryPersistence());
        c.setCallback(new RawCallback());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSocketFactory(new io.hearth.adapter.mqtt.NoDelaySocketFactory());
        c.connect(o).waitForCompletion(10_000);
        c.subscribe("hearth/+/state", 0).waitForCompletion(10_000);
        clients.add(c);
      }
      return drive(n, rate);
    } finally {
      for (MqttAsyncClient c : clients) {
        try {
          c.disconnect().waitForCompletion(5_000);
          c.close(true);
        } catch (MqttException e) {
          LOG.debug("fan-out client close: {}", e.toString());
        }
      }
    }
  }

  private JsonObject gatewayRun(int n, int rate) throws Exception {
    List<WebSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        WebSocket ws = Bench.join(home.client().webSocket(home.ownerToken()), Duration.ofSeconds(10));
        io.vertx.core.Promise<Void> subscribed = io.vertx.core.Promise.promise();
        ws.textMessageHandler(text -> {
          if (text.startsWith("{\"id\":1,")) {
            subscribed.tryComplete();
          } else {
            received(text, WS_EVENT, true);
          }
        });
        ws.writeTextMessage("{\"id\":1,\"type\":\"subscribe\",\"kinds\":[\"state\"]}");
        Bench.join(subscribed.future(), Duration.ofSeconds(10));
        sockets.add(ws);
      }
      return drive(n, rate);
    } finally {
      Bench.join(Future.join(sockets.stream().map(WebSocket::close).toList()).recover(e -> Future.succeededFuture()),
          Duration.ofSeconds(10));
    }
  }

  /** Publishes state changes at {@code rate}/s for the phase's length; counts frames and latencies. */
  private JsonObject drive(int n, int rate) throws Exception {
    List<SimDevice> devices = new ArrayList<>();
    for (int d = 0; d < DEVICES; d++) {
      devices.add(home.mqttSim().device(BenchHome.mqttId(d)));
    }
    int[] value = new int[DEVICES];
    Paced.Op publish = i -> {
      int d = i % DEVICES;
      value[d] = value[d] % 100 + 1;
      String id = BenchHome.mqttId(d);
      sentAt.put(id + ":" + value[d], System.nanoTime());
      devices.get(d).setState(Map.of("brightness", value[d]));
    };
    measuring = false;
    // warm-up (the JIT: one second left p99 to compilation)
    Paced.run(rate * (options.quick() ? 1 : WARM_UP_SECONDS), rate, publish);
    synchronized (histogram) {
      histogram.reset();
    }
    frames.set(0);
    measuring = true;
    long start = System.nanoTime();
    int count = rate * options.seconds();
    Paced.run(count, rate, publish);
    // the last frames are still on their way: wait for them (bounded)
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (frames.get() < (long) count * n && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    measuring = false;
    Latency l;
    synchronized (histogram) {
      l = Latency.of(histogram);
    }
    LOG.info("fan-out [clients: {}, frames: {}/{}, p99: {} µs]", n, frames.get(), (long) count * n, l.p99());
    return new JsonObject().put("framesPerSecond", Math.round(frames.get() / seconds)).put("frames", frames.get())
        .put("expectedFrames", (long) count * n).put("latency", l.toJson());
  }

  private void received(String text, Pattern pattern, boolean ws) {
    long now = System.nanoTime();
    if (!measuring) {
      return;
    }
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return;
    }
    Long t = sentAt.get(m.group(1) + ":" + m.group(2));
    if (t != null) {
      frames.incrementAndGet();
      synchronized (histogram) {
        Latency.record(histogram, now - t);
      }
    }
  }

  private final class RawCallback implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) {
      try {
        // hearth/{id}/state: prefix the device id so the raw and the WebSocket patterns agree
        String id = topic.substring(7, topic.length() - 6);
        String body = new String(message.getPayload(), StandardCharsets.UTF_8);
        received("\"device\":\"" + id + "\"," + body, WS_EVENT, false);
      } catch (RuntimeException e) {
        LOG.debug("raw state not handled: {}", e.toString());
      }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {}

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverURI) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
