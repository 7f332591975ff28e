package io.hearth.gateway.broker;

import static io.hearth.gateway.broker.BrokerTestSupport.AUTHORIZER;
import static io.hearth.gateway.broker.BrokerTestSupport.HOST;
import static io.hearth.gateway.broker.BrokerTestSupport.awaitResult;
import static io.hearth.gateway.broker.BrokerTestSupport.password;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Start, stop, restart, port conflicts and persistence of the embedded broker. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedBrokerLifecycleTest {

  private static final Pattern JVM_WIDE =
      Pattern.compile(
          "vert\\.x-.*|awaitility.*|Exodus shared .*|threadJobProcessorPoolSpawner|JNA Cleaner"
              + "|process reaper");

  @TempDir Path dataDir;
  private Vertx vertx;
  private EmbeddedBroker broker;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (broker != null) {
      awaitResult(broker.stop(vertx));
    }
    awaitResult(vertx.close());
  }

  @Test
  void portInUseFailsWithOneLineReason() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getByName(HOST))) {
      // GIVEN the port is taken
      int port = squatter.getLocalPort();
      broker = new EmbeddedBroker(BrokerOptions.defaults(HOST, port, false, dataDir), AUTHORIZER);
      // WHEN the broker starts
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> awaitResult(broker.start(vertx)));
      // THEN it fails with a clear one-line reason, and is not running
      assertInstanceOf(BrokerStartException.class, e.getCause());
      assertTrue(e.getCause().getMessage().startsWith("mqtt.embedded.port " + port + " is already in use"),
          e.getCause().getMessage());
      assertFalse(broker.isRunning());
    }
  }

  @Test
  void portTakenUnderHiveMqFailsTheSameWayAndLeavesNoThreads() throws Exception {
    Set<Long> before = liveThreadIds();
    try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getByName(HOST))) {
      // GIVEN the port is taken, and HiveMQ itself meets it (no probe before)
      int port = squatter.getLocalPort();
      broker =
          new EmbeddedBroker(BrokerOptions.defaults(HOST, port, false, dataDir), AUTHORIZER, false);
      // WHEN the broker starts
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> awaitResult(broker.start(vertx)));
      // THEN it fails with the same one-line reason
      assertInstanceOf(BrokerStartException.class, e.getCause());
      assertTrue(e.getCause().getMessage().startsWith("mqtt.embedded.port " + port + " is already in use"),
          e.getCause().getMessage());
      assertFalse(broker.isRunning());
      // AND no broker thread is left behind
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(() -> assertEquals(List.of(), newBrokerThreads(before)));
    }
    // AND once the port is free the same broker starts on the same data dir, and stops cleanly
    awaitResult(broker.start(vertx));
    assertTrue(broker.isRunning());
    awaitResult(broker.stop(vertx));
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertEquals(List.of(), newBrokerThreads(before)));
  }

  @Test
  void filePersistenceKeepsRetainedAndQueuedMessagesAcrossRestart() throws Exception {
    Thread.UncaughtExceptionHandler handler = (thread, error) -> {};
    Thread.setDefaultUncaughtExceptionHandler(handler);
    broker = startBroker(true, true);
    // HiveMQ installs its own JVM-wide handler on start (it may System.exit): ours is put back
    assertSame(handler, Thread.getDefaultUncaughtExceptionHandler());
    Thread.setDefaultUncaughtExceptionHandler(null);
    String url = broker.url();
    // GIVEN anonymous clients are allowed: they get full access
    try (TestClient anonymous = TestClient.connect(url, "anon", null, null)) {
      assertEquals(1, anonymous.subscribe("hearth/#", 1)[0]);
      anonymous.publish("hearth/y/set", "hello", 1, false);
      TestClient.Received message = anonymous.poll(10, TimeUnit.SECONDS);
      assertNotNull(message);
      assertEquals("hearth/y/set", message.topic());
    }
    // AND a persistent-session subscriber that went offline
    try (TestClient sub =
        TestClient.connect(url, "persistent-sub", "gateway", password("gateway"), true, 3600)) {
      assertEquals(1, sub.subscribe("hearth/+/reply", 1)[0]);
    }
    // AND a retained state and an acknowledged QoS 1 message queued for that subscriber
    try (TestClient x = TestClient.connect(url, "x", "x", password("x"))) {
      x.publish("hearth/x/state", "{\"power\":true}", 1, true);
      x.publish("hearth/x/reply", "{\"cid\":\"c1\",\"ok\":true}", 1, false);
    }
    // WHEN the broker restarts on the same data dir
    awaitResult(broker.stop(vertx));
    assertFalse(broker.isRunning());
    awaitResult(broker.stop(vertx)); // stopping twice is fine
    awaitResult(broker.start(vertx));
    assertTrue(broker.isRunning());
    // THEN the subscriber resuming its session gets the queued message
    try (TestClient sub =
        TestClient.connect(url, "persistent-sub", "gateway", password("gateway"), false, 3600)) {
      TestClient.Received queued = sub.poll(10, TimeUnit.SECONDS);
      assertNotNull(queued, "queued QoS 1 message lost in restart");
      assertEquals("hearth/x/reply", queued.topic());
      assertEquals("{\"cid\":\"c1\",\"ok\":true}", queued.payload());
    }
    // AND a new subscriber gets the retained state, flagged as retained
    try (TestClient gateway = TestClient.connect(url, "gw", "gateway", password("gateway"))) {
      gateway.subscribe("hearth/x/state", 1);
      TestClient.Received retained = gateway.poll(10, TimeUnit.SECONDS);
      assertNotNull(retained, "retained message lost in restart");
      assertEquals("{\"power\":true}", retained.payload());
      assertTrue(retained.retained());
    }
  }

  @Test
  void memoryPersistenceStartsEmptyAfterRestart() throws Exception {
    broker = startBroker(true, false);
    String url = broker.url();
    // GIVEN a retained state on the default (in-memory) broker
    try (TestClient x = TestClient.connect(url, "x", "x", password("x"))) {
      x.publish("hearth/x/state", "{\"power\":true}", 1, true);
    }
    try (TestClient gateway = TestClient.connect(url, "gw", "gateway", password("gateway"))) {
      gateway.subscribe("hearth/x/state", 1);
      assertNotNull(gateway.poll(10, TimeUnit.SECONDS), "retained message not kept while running");
    }
    // WHEN the broker restarts
    awaitResult(broker.stop(vertx));
    awaitResult(broker.start(vertx));
    // THEN it is gone, and nothing was written under data/broker/data
    try (TestClient gateway = TestClient.connect(url, "gw2", "gateway", password("gateway"))) {
      gateway.subscribe("hearth/x/state", 1);
      assertNull(gateway.poll(2, TimeUnit.SECONDS), "in-memory broker kept a retained message");
    }
  }

  private EmbeddedBroker startBroker(boolean allowAnonymous) throws Exception {
    return startBroker(allowAnonymous, false);
  }

  private EmbeddedBroker startBroker(boolean allowAnonymous, boolean persistent) throws Exception {
    EmbeddedBroker started =
        new EmbeddedBroker(
            BrokerOptions.defaults(HOST, BrokerTestSupport.freePort(), allowAnonymous, dataDir)
                .withPersistent(persistent),
            AUTHORIZER);
    awaitResult(started.start(vertx));
    return started;
  }

  private static Set<Long> liveThreadIds() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getId)
        .collect(Collectors.toSet());
  }

  /**
   * Threads started since {@code before}, but Vert.x's (it ran the start), Awaitility's and the
   * JVM-wide pools HiveMQ's libraries create once and share (Xodus, JNA, the JDK's process reaper).
   */
  private static List<String> newBrokerThreads(Set<Long> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !before.contains(t.getId()))
        .map(Thread::getName)
        .filter(name -> !JVM_WIDE.matcher(name).matches())
        .sorted()
        .collect(Collectors.toList());
  }
}
