package io.hearth.adapter.coap;

import static io.hearth.adapter.coap.CoapDeviceAdapterTest.get;
import static io.hearth.adapter.coap.CoapDeviceAdapterTest.hearth;
import static io.hearth.adapter.coap.CoapDeviceAdapterTest.set;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.DeviceCommand;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Packet loss (30 % both ways at the device) and thread hygiene of the CoAP adapter. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CoapLossAndThreadsTest {

  @Test
  void underLossEveryCommandSucceedsOrEndsWithinTheSpanAndNoneRunsTwice(Vertx vertx) throws Exception {
    // GIVEN ACK_TIMEOUT 100 ms, factor 1.5, MAX_RETRANSMIT 4: MAX_TRANSMIT_SPAN 2.25 s, WAIT 4.65 s
    CoapAdapterOptions options = CoapDeviceAdapterTest.FAST.withTransmission(Duration.ofMillis(100), 1.5, 4);
    Duration span = options.maxTransmitSpan();
    assertEquals(2250, span.toMillis());
    Context context = vertx.getOrCreateContext();
    CoapSink sink = new CoapSink(context);
    CoapDeviceAdapter adapter = new CoapDeviceAdapter(context, options);
    get(adapter.start(sink));
    try (TestDevice device = new TestDevice(0, 0, Map.of("brightness", 0))) {
      get(adapter.attach(hearth("lossy", device.uri()), null));
      await().atMost(Duration.ofSeconds(5)).until(() -> !sink.states.isEmpty());
      device.connector.loss = 0.3;
      // WHEN 30 commands, each living exactly one MAX_TRANSMIT_SPAN, go out through 30 % loss
      int n = 30;
      List<Instant> deadlines = new ArrayList<>();
      List<Future<Void>> sent = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        DeviceCommand c = set("l" + i, "lossy", Map.of("brightness", (long) i), span);
        deadlines.add(c.expiresAt());
        sent.add(adapter.send(c));
      }
      Instant last = deadlines.get(n - 1);
      // THEN by the last deadline (+ a scheduling margin) nothing is in flight any more
      await().atMost(Duration.between(Instant.now(), last).plusMillis(500))
          .until(() -> adapter.inFlightRequests() == 0);
      for (Future<Void> f : sent) {
        assertTrue(f.succeeded(), "every request was sent");
      }
      // every reply came within the command's span, and every command either succeeded or got none
      Set<String> okIds = sink.replies.stream().filter(r -> r.ok()).map(r -> r.commandId()).collect(Collectors.toSet());
      assertEquals(sink.replies.size(), okIds.size(), () -> "rejections or duplicate replies: " + sink.replies);
      assertTrue(okIds.size() >= n / 2, () -> "too few succeeded through 30 % loss: " + okIds.size());
      // and the device never executed a request twice (Californium deduplicates retransmissions)
      List<String> executed = device.executedPuts;
      assertEquals(new HashSet<>(executed).size(), executed.size(), () -> "executed twice: " + executed);
      assertTrue(executed.size() >= okIds.size());
      assertTrue(sink.offContext.isEmpty(), () -> String.valueOf(sink.offContext));
    } finally {
      get(adapter.stop());
    }
  }

  @Test
  void stopLeavesNoCaliforniumThreadBehind(Vertx vertx) throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    Context context = vertx.getOrCreateContext();
    CoapSink sink = new CoapSink(context);
    CoapDeviceAdapter adapter = new CoapDeviceAdapter(context, CoapDeviceAdapterTest.FAST);
    get(adapter.start(sink));
    try (TestDevice device = new TestDevice(0, 0, Map.of("power", true))) {
      get(adapter.attach(hearth("t", device.uri()), null));
      await().atMost(Duration.ofSeconds(5)).until(() -> !sink.states.isEmpty());
      get(adapter.send(set("t1", "t", Map.of("power", false), Duration.ofSeconds(5))));
      await().atMost(Duration.ofSeconds(5)).until(() -> !sink.replies.isEmpty());
      assertTrue(threadsSince(before).stream().anyMatch(n -> n.startsWith(CaliforniumClient.THREAD_PREFIX)));
      get(adapter.stop());
      get(adapter.stop()); // idempotent
    }
    // THEN every thread started since (adapter and test device alike) ends, Vert.x's own aside
    await().atMost(Duration.ofSeconds(10)).until(() -> threadsSince(before).isEmpty());
  }

  private static List<String> threadsSince(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.isAlive())
        .map(Thread::getName)
        .filter(n -> !n.startsWith("vert.x-") && !n.startsWith("ForkJoinPool") && !n.startsWith("awaitility"))
        .toList();
  }
}
