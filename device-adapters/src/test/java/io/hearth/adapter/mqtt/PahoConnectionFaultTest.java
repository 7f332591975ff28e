package io.hearth.adapter.mqtt;

import static io.hearth.adapter.mqtt.MqttDeviceAdapterTest.result;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT link under faults (issue 12 points 2 and 5; the bounds are in docs/operations.md): a
 * broker that accepts TCP and never answers, a broker that freezes mid-connection, a Maximum Packet
 * Size left over from an earlier CONNACK, an oversized retained message.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PahoConnectionFaultTest {

  @TempDir
  Path dir;
  private Context context;
  private String clientId;
  private PahoConnection connection;
  private final Recorder recorder = new Recorder();
  private final List<AutoCloseable> closeAfter = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx, TestInfo info) {
    context = vertx.getOrCreateContext();
    clientId = "gw-" + info.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (connection != null) {
      result(on(connection::stop));
      await().atMost(Duration.ofSeconds(10)).until(() -> pahoThreads() == 0);
    }
    for (AutoCloseable c : closeAfter) {
      c.close();
    }
  }

  private MqttAdapterOptions options(String uri, Duration connectTimeout, Duration keepAlive) {
    return new MqttAdapterOptions(uri, clientId, null, null, 100, connectTimeout, keepAlive,
        Duration.ofMillis(50), Duration.ofMillis(200), null);
  }

  private void start(MqttAdapterOptions options) throws Exception {
    connection = new PahoConnection(context, options, recorder);
    recorder.connection = connection;
    result(on(connection::start));
  }

  private <T> Future<T> on(Supplier<Future<T>> call) {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> call.get().onComplete(p));
    return p.future();
  }

  /** Live threads of this test's client id (Paho's "MQTT Rec: <id>", "MQTT Snd: <id>", ..., idle "MQTT pool: <id>"). */
  private long pahoThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("MQTT ") && t.getName().endsWith(": " + clientId))
        .count();
  }

  /** A TCP server that accepts connections and never says a word (a broker hung before CONNACK). */
  private ServerSocket silentServer() throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    List<Socket> held = new CopyOnWriteArrayList<>();
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          held.add(server.accept());
        } catch (IOException e) {
          return;
        }
      }
    }, "silent-server");
    t.setDaemon(true);
    t.start();
    closeAfter.add(() -> {
      server.close();
      for (Socket s : held) {
        s.close();
      }
    });
    return server;
  }

  @Test
  void pahoAloneWaitsForeverForAConnackItsConnectionTimeoutDoesNotBound() throws Exception {
    // evidence for the watchdog: Paho 1.2.5 applies connectionTimeout to the TCP connect only
    ServerSocket server = silentServer();
    MqttAsyncClient raw = new MqttAsyncClient("tcp://127.0.0.1:" + server.getLocalPort(), clientId,
        new MemoryPersistence());
    try {
      MqttConnectionOptions o = new MqttConnectionOptions();
      o.setConnectionTimeout(1);
      IMqttToken token = raw.connect(o);
      MqttException e = assertThrows(MqttException.class, () -> token.waitForCompletion(4_000));
      assertEquals(MqttClientException.REASON_CODE_CLIENT_TIMEOUT, e.getReasonCode(), "our wait timed out");
      assertFalse(token.isComplete(), "4 s after a 1 s connectionTimeout Paho still waits for CONNACK");
    } finally {
      raw.disconnectForcibly(0, 500, false);
      raw.close(true);
    }
  }

  @Test
  void attemptsABrokerNeverAnswersAreAbandonedInBoundedTimeAndLeaveNoThreads() throws Exception {
    ServerSocket server = silentServer();
    Duration connectTimeout = Duration.ofSeconds(1);
    start(options("tcp://127.0.0.1:" + server.getLocalPort(), connectTimeout, Duration.ofSeconds(30)));

    // every attempt is abandoned at connectTimeout + margin (plus the ≤ 200 ms backoff between them)
    long t0 = System.nanoTime();
    await().atMost(Duration.ofSeconds(40)).until(() -> recorder.abandoned() >= 5);
    long perAttemptMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) / 5;
    long boundMs = connectTimeout.plus(PahoConnection.CONNECT_MARGIN).toMillis() + 200 + 1_500;
    assertTrue(perAttemptMs <= boundMs, "an attempt took " + perAttemptMs + " ms on average, bound " + boundMs);
    assertFalse(connection.isConnected());

    // and the clients of abandoned attempts are closed: at most the live attempt's and one being closed
    await().atMost(Duration.ofSeconds(10)).until(() -> pahoThreads() <= 2L * PahoClients.THREADS_PER_CLIENT);
    assertTrue(recorder.abandoned() >= 5);
    assertEquals(0, recorder.connected.get());
  }

  @Test
  void stoppedWhileItsConnectIsUnderWayItLeavesNoThreads() throws Exception {
    // forced down while Paho's connect task still starts its reader, writer and callback, a client
    // once kept those running for ever: stop at once after start, many times
    ServerSocket server = silentServer();
    for (int i = 0; i < 15; i++) {
      PahoConnection c = new PahoConnection(context, options("tcp://127.0.0.1:" + server.getLocalPort(),
          Duration.ofSeconds(1), Duration.ofSeconds(30)), recorder);
      result(on(() -> c.start().compose(v -> c.stop())));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> pahoThreads() == 0);
  }

  @Test
  void aFrozenBrokerIsDeclaredDownWithinOneAndAHalfKeepAlivesAndTheLinkComesBack() throws Exception {
    TestBroker broker = new TestBroker(dir).start();
    closeAfter.add(broker);
    FreezingProxy proxy = new FreezingProxy(broker.port());
    closeAfter.add(proxy);
    Duration keepAlive = Duration.ofSeconds(2);
    recorder.filters = List.of("dev/#");
    start(options(proxy.uri(), Duration.ofSeconds(1), keepAlive));
    await().atMost(Duration.ofSeconds(15)).until(() -> recorder.subscribed.get() == 1);
    // an idle link that answers its probes stays up (two keep-alives: probes were sent and answered)
    await().during(keepAlive.multipliedBy(2)).atMost(keepAlive.multipliedBy(3)).until(recorder.lost::isEmpty);

    // WHEN the broker stops answering without closing anything
    proxy.freeze();
    long frozenAt = System.nanoTime();

    // THEN the link is declared down within 1.5 × keep-alive of the broker's last answer
    await().atMost(Duration.ofSeconds(15)).until(() -> !recorder.lost.isEmpty());
    long tookMs = TimeUnit.NANOSECONDS.toMillis(recorder.lostAt.get(0) - frozenAt);
    long boundMs = LivenessProbe.bound(keepAlive).toMillis();
    assertTrue(tookMs <= boundMs + 1_000, "declared down after " + tookMs + " ms, bound " + boundMs + " ms");
    assertTrue(recorder.lost.get(0).contains("liveness probe"), recorder.lost.get(0));
    assertFalse(connection.isConnected());

    // WHEN the broker answers again THEN the link comes back, subscribed, and carries messages
    proxy.thaw();
    await().atMost(Duration.ofSeconds(20)).until(() -> recorder.subscribed.get() == 2);
    try (DeviceClient device = new DeviceClient(broker.uri(), "dev-frozen").connect(null, null)) {
      device.publish("dev/after", "{\"ok\":true}", false);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.topics.contains("dev/after"));
    assertEquals(1, recorder.lost.size(), "one loss, no flapping: " + recorder.lost);
  }

  @Test
  void aDeviceMessagePublishedDuringAGapIsDeliveredAfterTheReconnect() throws Exception {
    TestBroker broker = new TestBroker(dir).start();
    closeAfter.add(broker);
    FreezingProxy proxy = new FreezingProxy(broker.port());
    closeAfter.add(proxy);
    recorder.filters = List.of("dev/#");
    start(options(proxy.uri(), Duration.ofSeconds(1), Duration.ofSeconds(2)));
    await().atMost(Duration.ofSeconds(15)).until(() -> recorder.subscribed.get() == 1);

    // GIVEN the gateway cut off from the broker, and noticed
    proxy.freeze();
    await().atMost(Duration.ofSeconds(15)).until(() -> !recorder.lost.isEmpty());

    // WHEN a device publishes (QoS 1) during the gap
    try (DeviceClient device = new DeviceClient(broker.uri(), "dev-gap").connect(null, null)) {
      device.publish("dev/gap", "{\"n\":1}", false);
    }
    assertFalse(recorder.topics.contains("dev/gap"));

    // THEN it is delivered once the gateway is back: the broker kept its session for the gap
    proxy.thaw();
    await().atMost(Duration.ofSeconds(20)).until(() -> recorder.topics.contains("dev/gap"));
    assertEquals(2, recorder.connected.get());
  }

  @Test
  void withoutASessionExpiryEveryConnectStartsClean() throws Exception {
    TestBroker broker = new TestBroker(dir).start();
    closeAfter.add(broker);
    FreezingProxy proxy = new FreezingProxy(broker.port());
    closeAfter.add(proxy);
    recorder.filters = List.of("dev/#");
    start(options(proxy.uri(), Duration.ofSeconds(1), Duration.ofSeconds(2)).withLink(null, Duration.ofSeconds(2),
        Duration.ZERO));
    await().atMost(Duration.ofSeconds(15)).until(() -> recorder.subscribed.get() == 1);
    proxy.freeze();
    await().atMost(Duration.ofSeconds(15)).until(() -> !recorder.lost.isEmpty());
    try (DeviceClient device = new DeviceClient(broker.uri(), "dev-gap0").connect(null, null)) {
      device.publish("dev/gap", "{\"n\":1}", false);
    }
    proxy.thaw();
    await().atMost(Duration.ofSeconds(20)).until(() -> recorder.subscribed.get() == 2);
    try (DeviceClient device = new DeviceClient(broker.uri(), "dev-next0").connect(null, null)) {
      device.publish("dev/next", "{}", false);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.topics.contains("dev/next"));
    assertFalse(recorder.topics.contains("dev/gap"), "a clean start forgets what the gap held");
  }

  @Test
  void aMaximumPacketSizeFromAnEarlierConnackNoLongerCostsTheConnection() throws Exception {
    int port = TestBroker.freePort();
    TestMosquitto small = TestMosquitto.start(dir.resolve("a"), port, "max_packet_size 2000");
    recorder.filters = List.of("dev/#");
    start(options("tcp://127.0.0.1:" + port, Duration.ofSeconds(2), Duration.ofSeconds(30)));
    await().atMost(Duration.ofSeconds(15)).until(() -> recorder.subscribed.get() == 1);

    // GIVEN the broker restarted without the limit (its next CONNACK carries no Maximum Packet Size)
    small.close();
    TestMosquitto big = TestMosquitto.start(dir.resolve("b"), port);
    closeAfter.add(big);
    await().atMost(Duration.ofSeconds(20)).until(() -> recorder.subscribed.get() == 2);
    int lostBefore = recorder.lost.size();

    // WHEN a device sends a retained 5 kB message, then a small one
    try (DeviceClient device = new DeviceClient(big.uri(), "dev-5k").connect(null, null)) {
      device.publish("dev/big", new byte[5_000], true);
      device.publish("dev/small", "{}", false);
    }

    // THEN both arrive on the same connection (Paho alone kept 2000 as its inbound limit, dropped the
    // link over the 5 kB message and met it again, retained, after every reconnect)
    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.topics.contains("dev/small"));
    assertTrue(recorder.topics.contains("dev/big"));
    assertEquals(lostBefore, recorder.lost.size(), "no disconnect: " + recorder.lost);
    assertEquals(2, recorder.connected.get());
  }

  @Test
  void anOversizedRetainedMessageIsDroppedByTheBrokerAndCostsNothing() throws Exception {
    TestMosquitto broker = TestMosquitto.start(dir.resolve("m"), TestBroker.freePort());
    closeAfter.add(broker);
    try (DeviceClient device = new DeviceClient(broker.uri(), "dev-huge").connect(null, null)) {
      device.publish("dev/huge", new byte[(int) PahoConnection.MAX_PACKET_BYTES + 1], true);
    }
    recorder.filters = List.of("dev/#");
    start(options(broker.uri(), Duration.ofSeconds(2), Duration.ofSeconds(30)));
    await().atMost(Duration.ofSeconds(15)).until(() -> recorder.subscribed.get() == 1);
    try (DeviceClient device = new DeviceClient(broker.uri(), "dev-next").connect(null, null)) {
      device.publish("dev/next", "{}", false);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.topics.contains("dev/next"));
    assertFalse(recorder.topics.contains("dev/huge"));
    assertEquals(List.of(), recorder.lost);
    assertEquals(1, recorder.connected.get());
    assertEquals(0, connection.droppedInbound(), "the broker dropped it, it never reached the gateway");
  }

  /** Records what the connection reports; subscribes {@link #filters} on every connect. */
  private static final class Recorder implements PahoConnection.Listener {
    volatile PahoConnection connection;
    volatile List<String> filters = List.of();
    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger subscribed = new AtomicInteger();
    final List<String> reasons = new CopyOnWriteArrayList<>();
    final List<String> lost = new CopyOnWriteArrayList<>();
    final List<Long> lostAt = new CopyOnWriteArrayList<>();
    final List<String> topics = new CopyOnWriteArrayList<>();
    private volatile boolean up;

    long abandoned() {
      return reasons.stream().filter(r -> r.contains("abandoned")).count();
    }

    @Override
    public void connected(boolean sessionPresent) {
      up = true;
      connected.incrementAndGet();
      if (!filters.isEmpty()) {
        connection.subscribe(filters).onSuccess(v -> subscribed.incrementAndGet());
      }
    }

    @Override
    public void disconnected(String reason) {
      reasons.add(reason);
      if (up) {
        lostAt.add(System.nanoTime());
        lost.add(reason);
      }
      up = false;
    }

    @Override
    public void messageArrived(String topic, byte[] payload, boolean retained) {
      topics.add(topic);
      new String(payload, StandardCharsets.UTF_8).length(); // touch it: a copy was handed over
    }
  }
}
