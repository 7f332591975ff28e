package io.hearth.gateway.broker;

import static io.hearth.gateway.broker.BrokerTestSupport.AUTHORIZER;
import static io.hearth.gateway.broker.BrokerTestSupport.HOST;
import static io.hearth.gateway.broker.BrokerTestSupport.awaitResult;
import static io.hearth.gateway.broker.BrokerTestSupport.password;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device the embedded broker itself drops (a packet over its maximum size) leaves a WARN line
 * naming it and its reason, once, and a count (docs/broker.md; issue 12: it used to vanish with no
 * line at all).
 */
class EmbeddedBrokerDisconnectLogTest {
  @TempDir
  static Path dataDir;
  private static Vertx vertx;
  private static EmbeddedBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    vertx = Vertx.vertx();
    broker = new EmbeddedBroker(BrokerOptions.defaults(HOST, BrokerTestSupport.freePort(), false, dataDir), AUTHORIZER);
    awaitResult(broker.start(vertx));
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      awaitResult(broker.stop(vertx));
    }
    if (vertx != null) {
      awaitResult(vertx.close());
    }
  }

  @Test
  void aPacketOverTheMaximumSizeDropsTheDeviceWithALineNamingIt() throws Exception {
    long before = broker.stats().clientsDisconnected();
    try (BrokerLogs logs = new BrokerLogs();
        Mqtt3Client x = Mqtt3Client.connect(vertx, broker.port(), "x-big-1", "x", password("x"), null)) {
      // WHEN the device sends one packet over the broker's 256 KiB
      try {
        x.publish("hearth/x/state", "{\"pad\":\"" + "p".repeat(300 * 1024) + "\"}", 0, false);
      } catch (Exception ignored) {
        // the broker may close the socket while the client still writes
      }
      // THEN the broker drops it, says so once at WARN with client and reason, and counts it
      await().atMost(Duration.ofSeconds(10)).until(() -> !x.isConnected());
      await().atMost(Duration.ofSeconds(10))
          .until(() -> !logs.lines(Level.WARN, "broker disconnected a client", "client: x-big-1").isEmpty());
      String line = logs.lines(Level.WARN, "client: x-big-1").get(0);
      assertTrue(line.contains("reason: "), line);
      assertEquals(before + 1, broker.stats().clientsDisconnected());
    }
  }
}
