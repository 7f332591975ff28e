package io.hearth.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.events.EventLog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event log behind {@code since}: replay across memory and disk, resync once events are
 * purged, seq across a restart; and the server's heartbeat. A small log (50 events, 20 in memory)
 * and a short idle timeout (1.5 s).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WsLogTest {
  static final Duration IDLE = Duration.ofMillis(1500);
  @TempDir
  static Path dir;
  static WsGateway gw;
  static int value;

  @BeforeAll
  static void start() throws Exception {
    gw = new WsGateway(dir, 1, WsOptions.DEFAULTS.withIdleTimeout(IDLE),
        EventLog.Limits.DEFAULTS.withMaxEvents(50).withMemoryEvents(20).withPurgeInterval(Duration.ofMillis(300)))
        .start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
  }

  static final JsonObject LAMP_STATE = WsProbe.subscribe().put("devices", new JsonArray().add("lamp-1"))
      .put("kinds", new JsonArray().add("state"));

  /** Makes n changes of lamp-1, waits until a live client saw them; returns the brightness values. */
  static List<Integer> changes(int n) throws Exception {
    List<Integer> values = new ArrayList<>();
    try (VertxWsProbe witness = new VertxWsProbe(gw.wsUrl())) {
      witness.ok(LAMP_STATE);
      for (int i = 0; i < n; i++) {
        value = value % 100 + 1;
        values.add(value);
        gw.sim.device("lamp-1").setState(Map.of("brightness", value));
      }
      witness.awaitEvents(m -> true, n);
    }
    return values;
  }

  static List<Integer> brightness(List<JsonObject> events) {
    return events.stream().map(m -> m.getJsonObject("data").getJsonObject("changes").getInteger("brightness")).toList();
  }

  @Test
  @Order(1)
  void aReplayReadsOlderEventsFromDiskAndTheTailFromMemory() throws Exception {
    long since;
    try (JdkWsProbe c = new JdkWsProbe(gw.wsUrl())) {
      since = c.ok(LAMP_STATE).getLong("seq");
    }
    List<Integer> values = changes(40); // more than the 20 kept in memory
    try (JdkWsProbe c = new JdkWsProbe(gw.wsUrl())) {
      JsonObject sub = c.ok(LAMP_STATE.copy().put("since", since));
      assertNull(sub.getBoolean("resync"));
      assertEquals(values, brightness(c.awaitEvents(m -> true, 40)));
    }
  }

  @Test
  @Order(2)
  void sinceOlderThanTheLogGivesResync() throws Exception {
    long since;
    try (JdkWsProbe c = new JdkWsProbe(gw.wsUrl())) {
      since = c.ok(LAMP_STATE).getLong("seq");
    }
    changes(60); // more than the 50 the log keeps
    // the purge runs every 300 ms: until then the events are still held and replayed
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      try (JdkWsProbe c = new JdkWsProbe(gw.wsUrl())) {
        JsonObject sub = c.ok(LAMP_STATE.copy().put("since", since));
        if (!Boolean.TRUE.equals(sub.getBoolean("resync"))) {
          return false;
        }
        gw.sim.device("lamp-1").setState(Map.of("brightness", value = value % 100 + 1));
        // live events follow at once; nothing is replayed
        JsonObject first = c.awaitEvents(m -> true, 1).get(0);
        assertEquals(value, first.getJsonObject("data").getJsonObject("changes").getInteger("brightness"));
        assertTrue(first.getLong("seq") > sub.getLong("seq"));
        return true;
      }
    });
  }

  @Test
  @Order(3)
  void theServerPingsAndClosesAClientSilentForTheIdleTimeout() throws Exception {
    try (JdkWsProbe answering = new JdkWsProbe(gw.wsUrl()); RawWsClient silent = new RawWsClient(gw.httpPort(), 0)) {
      // a client that never answers pings is closed after the idle timeout
      RawWsClient.Read read = silent.readUntilClose(IDLE.toMillis() * 4);
      assertTrue(read.pings() >= 1, "pinged");
      assertEquals(1001, read.closeCode());
      // one that answers (the JDK client pongs by itself) stays
      await().during(IDLE.multipliedBy(2)).atMost(IDLE.multipliedBy(3)).until(() -> !answering.closed.isDone());
      assertEquals("pong", answering.request(new JsonObject().put("type", "ping")).getString("type"));
    }
  }

  @Test
  @Order(4)
  void seqKeepsGrowingAcrossARestartAndReplayReachesBeforeIt() throws Exception {
    long since;
    try (JdkWsProbe c = new JdkWsProbe(gw.wsUrl())) {
      since = c.ok(new JsonObject().put("type", "get_states")).getLong("seq");
    }
    List<Integer> values = changes(5);
    long before;
    try (JdkWsProbe c = new JdkWsProbe(gw.wsUrl())) {
      before = c.ok(new JsonObject().put("type", "get_states")).getLong("seq");
    }
    gw.stopGateway();
    gw.start();
    try (JdkWsProbe c = new JdkWsProbe(gw.wsUrl())) {
      JsonObject sub = c.ok(WsProbe.subscribe().put("since", since)
          .put("kinds", new JsonArray().add("state").add("device")));
      assertTrue(sub.getLong("seq") >= before);
      // the 5 changes before the stop come from the log on disk
      assertEquals(values, brightness(c.awaitEvents(m -> "state".equals(m.getString("kind")), 5)).subList(0, 5));
      // a new event after the restart gets a higher seq than any before
      HttpResponse<String> added = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + gw.httpPort() + "/api/v1/devices"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer " + WsProbe.bearer)
          .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"new-plug\",\"profile\":\"plug\","
              + "\"binding\":{\"protocol\":\"mqtt\",\"convention\":\"hearth\"}}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(201, added.statusCode(), added.body());
      JsonObject event = c.awaitEvents(m -> "device".equals(m.getString("kind")), 1).get(0);
      assertEquals("new-plug", event.getString("device"));
      assertTrue(event.getLong("seq") > before, event + " after " + before);
    }
  }
}
