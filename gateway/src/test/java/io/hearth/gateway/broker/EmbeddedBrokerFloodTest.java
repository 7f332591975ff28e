package io.hearth.gateway.broker;

import static io.hearth.gateway.broker.BrokerTestSupport.AUTHORIZER;
import static io.hearth.gateway.broker.BrokerTestSupport.HOST;
import static io.hearth.gateway.broker.BrokerTestSupport.awaitResult;
import static io.hearth.gateway.broker.BrokerTestSupport.password;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A client flooding past its rate is cut to its rate and does not stall other clients. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EmbeddedBrokerFloodTest {

  private static final long CLIENT_RATE = 64 * 1024;
  private static final int PAYLOAD = 4 * 1024;
  private static final int FLOOD_MESSAGES = 1024; // 4 MiB

  @TempDir Path dataDir;

  @Test
  void floodIsThrottledAndOthersStayServed() throws Exception {
    Vertx vertx = Vertx.vertx();
    BrokerOptions options =
        BrokerOptions.defaults(HOST, BrokerTestSupport.freePort(), false, dataDir)
            .withIncomingLimits(CLIENT_RATE, BrokerOptions.DEFAULT_TOTAL_INCOMING_BYTES_PER_SECOND);
    EmbeddedBroker broker = new EmbeddedBroker(options, AUTHORIZER);
    awaitResult(broker.start(vertx));
    String url = broker.url();
    try (TestClient watcher = TestClient.connect(url, "gw-flood", "gateway", password("gateway"));
        TestClient probeListener = TestClient.connect(url, "gw-probe", "gateway", password("gateway"));
        TestClient flooder = TestClient.connect(url, "x", "x", password("x"));
        TestClient y = TestClient.connect(url, "y", "y", password("y"))) {
      // GIVEN one subscriber to the flooder's topic and one to the well-behaved device's
      watcher.subscribe("hearth/x/event/+", 0);
      probeListener.subscribe("hearth/y/state", 1);
      // WHEN X floods 4 MiB of QoS 0 events as fast as it can
      long began = System.nanoTime();
      byte[] payload = new byte[PAYLOAD];
      CompletableFuture<Void> flood =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < FLOOD_MESSAGES; i++) {
                    flooder.publish("hearth/x/event/flood", payload, 0, false);
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      // THEN device Y's state still goes round within a second, time after time
      int rounds = 0;
      do {
        String state = "{\"n\":" + rounds + "}";
        y.publish("hearth/y/state", state, 1, false);
        TestClient.Received received = probeListener.poll(1, TimeUnit.SECONDS);
        assertNotNull(received, "broker stalled during the flood, round " + rounds);
        assertEquals(state, received.payload());
        rounds++;
      } while (!flood.isDone() || rounds < 3);
      flood.get(30, TimeUnit.SECONDS);
      // AND only about the flooder's rate got through: one bucket plus the rate over the time
      watcher.poll(500, TimeUnit.MILLISECONDS); // let in-flight deliveries land
      double seconds = (System.nanoTime() - began) / 1e9;
      long allowed = (long) (options.maxPacketSize() + CLIENT_RATE * (seconds + 1));
      long delivered = watcher.receivedBytes();
      assertTrue(delivered > 0, "nothing of the flood got through");
      assertTrue(
          delivered <= allowed,
          "flood not throttled: " + delivered + " B delivered, allowed " + allowed + " B");
      assertTrue(delivered < (long) PAYLOAD * FLOOD_MESSAGES / 2, "flood not throttled");
      // AND the drops are counted as rate-limited, not as outside the ACL
      assertTrue(broker.stats().publishesRateLimited() > 0, "no drop counted as rate-limited");
      assertEquals(0, broker.stats().publishesDenied());
    } finally {
      awaitResult(broker.stop(vertx));
      awaitResult(vertx.close());
    }
  }
}
