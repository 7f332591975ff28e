package io.hearth.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.events.EventLog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One client that stops reading is cut off (overflow) while another keeps receiving everything. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WsSlowClientTest {
  static final int BATCHES = 5;
  static final int BATCH = 100;
  @TempDir
  static Path dir;
  static WsGateway gw;

  @BeforeAll
  static void start() throws Exception {
    // bounds below the 1,500 events of the test, so the client that never reads overflows, yet above
    // one batch of 300, so the reading client never does even on a loaded machine
    gw = new WsGateway(dir, 3, WsOptions.DEFAULTS.withQueue(1000, 512 * 1024, 8 * 1024).withSendBufferBytes(8 * 1024),
        EventLog.Limits.DEFAULTS)
        .start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
  }

  @Test
  void aClientThatNeverReadsIsCutOffWhileAnotherReceivesEverything() throws Exception {
    JsonObject stateOnly = WsProbe.subscribe().put("kinds", new JsonArray().add("state"));
    try (JdkWsProbe fast = new JdkWsProbe(gw.wsUrl());
        RawWsClient slow = new RawWsClient(gw.httpPort(), 4096)) {
      fast.ok(stateOnly);
      // GIVEN a client that subscribes and then never reads
      slow.sendText("{\"id\":1,\"type\":\"subscribe\",\"kinds\":[\"state\"]}");
      // WHEN thousands of changes happen (in batches the simulated devices' MQTT windows can carry)
      int total = 0;
      for (int batch = 0; batch < BATCHES; batch++) {
        for (String lamp : gw.lamps) {
          for (int i = 0; i < BATCH; i++) {
            total++;
            gw.sim.device(lamp).setState(Map.of("brightness", total % 101, "color_temp", 2700 + total % 3800));
          }
        }
        fast.awaitEvents(m -> true, total);
      }
      // THEN the fast client receives every one of them, in order
      List<JsonObject> got = fast.awaitEvents(m -> true, total);
      assertEquals(total, got.size());
      for (int i = 1; i < got.size(); i++) {
        assertTrue(got.get(i).getLong("seq") > got.get(i - 1).getLong("seq"));
      }
      // AND the slow one, reading again, finds what fit in the buffers, then overflow, and was closed
      RawWsClient.Read read = slow.readUntilClose(20_000);
      assertEquals(WsOutbound.OVERFLOW_CLOSE, read.closeCode());
      assertEquals("{\"type\":\"overflow\"}", read.texts().get(read.texts().size() - 1));
      assertTrue(read.texts().size() - 2 < total, "the slow client got " + read.texts().size());
      // AND the fast one still works
      assertEquals("pong", fast.request(new JsonObject().put("type", "ping")).getString("type"));
      await().atMost(Duration.ofSeconds(5)).until(() -> !fast.closed.isDone());
    }
  }
}
