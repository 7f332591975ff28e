package io.hearth.adapter.coap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A hearth-convention device without {@code /events} (a real Californium server answering 4.04):
 * the adapter asks for it again with doubling delays up to {@code refusedRetryMax}, and the state
 * notifications in between do not make it ask early (docs/conventions-coap.md, "Common rules").
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CoapEventsBackoffTest {
  static final long MIN_MS = 100;
  static final long REFUSED_MAX_MS = 800;
  static final CoapAdapterOptions OPTIONS = CoapDeviceAdapterTest.FAST
      .withObserve(Duration.ofMillis(200), Duration.ofMillis(MIN_MS), Duration.ofMillis(400))
      .withRefusedRetryMax(Duration.ofMillis(REFUSED_MAX_MS));

  CoapSink sink;
  CoapDeviceAdapter adapter;
  TestDevice device;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    Context context = vertx.getOrCreateContext();
    sink = new CoapSink(context);
    adapter = new CoapDeviceAdapter(context, OPTIONS);
    CoapDeviceAdapterTest.get(adapter.start(sink));
    device = new TestDevice(0, 0, Map.of("locked", true));
    device.withoutEvents();
  }

  @AfterEach
  void tearDown() throws Exception {
    CoapDeviceAdapterTest.get(adapter.stop());
    device.close();
    assertTrue(sink.offContext.isEmpty(), () -> "sink called off the adapter's context: " + sink.offContext);
  }

  @Test
  void missingEventsResourceIsAskedForWithDoublingDelays() throws Exception {
    // GIVEN a device whose /events answers 4.04, attached with the hearth convention
    CoapDeviceAdapterTest.get(adapter.attach(new io.hearth.device.DeviceDefinition("door", null, null, "lock",
        CoapBinding.hearth(device.uri())), null));
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.reported("door", Map.of("locked", true)));

    // WHEN five requests for /events have come in
    await().atMost(Duration.ofSeconds(10)).until(() -> device.eventRequestNanos.size() >= 5);
    // AND the device then reports state changes while the adapter waits for its next try
    for (int i = 0; i < 3; i++) {
      int brightness = i;
      device.change(Map.of("battery", brightness));
      await().atMost(Duration.ofSeconds(5)).until(() -> sink.reported("door", Map.of("battery", (long) brightness)));
    }
    long changesHandled = System.nanoTime();
    await().atMost(Duration.ofSeconds(10)).until(() -> device.eventRequestNanos.size() >= 6);

    // THEN the gaps double from retryMin up to refusedRetryMax (with slack for timer jitter only downwards)
    List<Long> at = new ArrayList<>(device.eventRequestNanos);
    List<Long> gapsMs = new ArrayList<>();
    for (int i = 1; i < 6; i++) {
      gapsMs.add(TimeUnit.NANOSECONDS.toMillis(at.get(i) - at.get(i - 1)));
    }
    long expected = MIN_MS;
    for (int i = 0; i < gapsMs.size(); i++) {
      assertTrue(gapsMs.get(i) >= expected * 8 / 10, "gap " + i + " of " + gapsMs + " shorter than " + expected + " ms");
      expected = Math.min(REFUSED_MAX_MS, expected * 2);
    }
    // AND the state notifications (the device answering) did not make it ask early: they were all
    // handled before the sixth request, which still came a full capped delay after the fifth
    assertTrue(changesHandled < at.get(5), "state changes not handled within the capped delay: inconclusive");
    assertTrue(gapsMs.get(4) >= REFUSED_MAX_MS * 8 / 10, gapsMs::toString);
    // AND the device stays online: availability follows the state observation, not /events
    assertEquals(new CoapSink.Availability("door", true, null), sink.lastAvailability("door"));
    assertTrue(sink.events.isEmpty());
  }
}
