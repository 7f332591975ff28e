package io.hearth.adapter.coap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.CommandReply;
import io.hearth.adapter.DeviceCommand;
import io.hearth.device.DeviceDefinition;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The CoAP adapter against a Californium test device speaking the hearth convention. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CoapDeviceAdapterTest {
  static final CoapAdapterOptions FAST = CoapAdapterOptions.defaults()
      .withBindHost("127.0.0.1")
      .withTransmission(Duration.ofMillis(100), 1.5, 2)
      .withObserve(Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(1));

  Vertx vertx;
  Context context;
  CoapSink sink;
  CoapDeviceAdapter adapter;
  final List<TestDevice> devices = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    context = vertx.getOrCreateContext();
    sink = new CoapSink(context);
    adapter = new CoapDeviceAdapter(context, FAST);
    get(adapter.start(sink));
  }

  @AfterEach
  void tearDown() throws Exception {
    get(adapter.stop());
    devices.forEach(TestDevice::close);
    assertTrue(sink.offContext.isEmpty(), () -> "sink called off the adapter's context: " + sink.offContext);
  }

  static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  TestDevice device(Map<String, Object> state) {
    TestDevice d = new TestDevice(0, 0, state);
    devices.add(d);
    return d;
  }

  static DeviceDefinition hearth(String id, String uri) {
    return new DeviceDefinition(id, null, null, "light.dimmable",
        CoapBinding.hearth(uri));
  }

  static DeviceCommand set(String cid, String device, Map<String, Object> values, Duration ttl) {
    return new DeviceCommand(cid, device, values, null, null, Instant.now().plus(ttl));
  }

  /** The JSON object with its keys sorted (the adapter's key order is not part of the contract). */
  static String sorted(String json) throws Exception {
    var m = new com.fasterxml.jackson.databind.ObjectMapper();
    return m.writeValueAsString(new java.util.TreeMap<>(m.readValue(json, Map.class)));
  }

  @Test
  void observeNotificationsArriveAsStateReports() throws Exception {
    // GIVEN a device with a state
    TestDevice d = device(Map.of("power", false, "brightness", 10));
    // WHEN it is attached
    get(adapter.attach(hearth("lamp", d.uri()), null));
    // THEN its state is reported and it is online
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.reported("lamp", Map.of("power", false, "brightness", 10L)));
    assertEquals(new CoapSink.Availability("lamp", true, null), sink.lastAvailability("lamp"));
    // WHEN the device changes on its own THEN the notification is reported
    d.change(Map.of("brightness", 77));
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.reported("lamp", Map.of("brightness", 77L)));
    assertEquals(List.of(true), sink.transport);
  }

  @Test
  void putIsConfirmedByItsResponse() throws Exception {
    TestDevice d = device(Map.of("power", false));
    get(adapter.attach(hearth("lamp", d.uri()), null));
    // WHEN a command is sent
    get(adapter.send(set("c1", "lamp", Map.of("power", true, "brightness", 60L), Duration.ofSeconds(5))));
    // THEN the 2.04 is the reply, the device applied it once, and the notification follows
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.reply("c1") != null);
    assertTrue(sink.reply("c1").ok());
    assertEquals(1, d.executedPuts.size());
    assertEquals("{\"brightness\":60,\"power\":true}", sorted(d.executedPuts.get(0)));
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.reported("lamp", Map.of("power", true, "brightness", 60L)));
  }

  @Test
  void errorResponseIsARejection() throws Exception {
    TestDevice d = device(Map.of("power", false));
    d.rejectWith = "too hot";
    get(adapter.attach(hearth("lamp", d.uri()), null));
    get(adapter.send(set("c2", "lamp", Map.of("power", true), Duration.ofSeconds(5))));
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.reply("c2") != null);
    CommandReply r = sink.reply("c2");
    assertFalse(r.ok());
    assertTrue(r.error().startsWith("4.00") && r.error().endsWith("too hot"), r.error());
  }

  @Test
  void actionIsPostedAndItsOutputReturned() throws Exception {
    TestDevice d = device(Map.of("power", false));
    get(adapter.attach(hearth("lamp", d.uri()), null));
    get(adapter.send(new DeviceCommand("c3", "lamp", null, "blink", Map.of("times", 2L),
        Instant.now().plusSeconds(5))));
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.reply("c3") != null);
    assertTrue(sink.reply("c3").ok());
    assertEquals(Map.of("done", true), sink.reply("c3").output());
  }

  @Test
  void eventsAreObservedButTheLatestAtRegistrationIsNotNews() throws Exception {
    TestDevice d = device(Map.of("locked", true));
    d.lastEvent = Map.of("name", "old", "data", Map.of());
    get(adapter.attach(hearth("lock", d.uri()), null));
    await().atMost(Duration.ofSeconds(5)).until(() -> !sink.states.isEmpty());
    await().atMost(Duration.ofSeconds(5)).until(() -> d.eventGets.get() > 0);
    d.emit("jammed", Map.of("code", 3));
    await().atMost(Duration.ofSeconds(5)).until(() -> !sink.events.isEmpty());
    assertEquals("jammed", sink.events.get(0).name());
    assertEquals(Map.of("code", 3L), sink.events.get(0).data());
    assertEquals(1, sink.events.size());
  }

  @Test
  void stoppedDeviceTimesOutAndGoesOfflineWithoutAReply() throws Exception {
    TestDevice d = device(Map.of("power", false));
    get(adapter.attach(hearth("lamp", d.uri()), null));
    await().atMost(Duration.ofSeconds(5)).until(() -> !sink.states.isEmpty());
    d.close();
    // WHEN a command goes to a device that no longer answers
    get(adapter.send(set("c4", "lamp", Map.of("power", true), Duration.ofSeconds(10))));
    // THEN it goes offline (timeout) within MAX_TRANSMIT_WAIT, and no reply is made up
    long wait = FAST.maxTransmitWait().toMillis();
    await().atMost(Duration.ofMillis(wait + 2000)).until(() -> {
      var a = sink.lastAvailability("lamp");
      return a != null && !a.online();
    });
    assertEquals("timeout", sink.lastAvailability("lamp").reason());
    assertNull(sink.reply("c4"));
    assertEquals(0, adapter.inFlightRequests());
  }

  @Test
  void restartedDeviceIsObservedAgain() throws Exception {
    TestDevice d = device(Map.of("power", false));
    d.maxAge = 1;
    get(adapter.attach(hearth("lamp", d.uri()), null));
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.reported("lamp", Map.of("power", false)));
    int port = d.port();
    d.close();
    // THEN the lapsed observation cannot be re-registered: observe_lost
    await().atMost(Duration.ofSeconds(8)).until(() -> {
      var a = sink.lastAvailability("lamp");
      return a != null && !a.online();
    });
    assertEquals("observe_lost", sink.lastAvailability("lamp").reason());
    // WHEN the device comes back on the same port with a fresh state
    TestDevice again = new TestDevice(port, 0, Map.of("power", true));
    devices.add(again);
    // THEN it is observed again: online, and its notifications arrive
    await().atMost(Duration.ofSeconds(8)).until(() -> sink.reported("lamp", Map.of("power", true)));
    assertTrue(sink.lastAvailability("lamp").online());
    again.change(Map.of("brightness", 5));
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.reported("lamp", Map.of("brightness", 5L)));
  }

  @Test
  void garbageAndWrongContentFormatAreDroppedAndCborAccepted() throws Exception {
    TestDevice d = device(Map.of("power", false));
    d.encoding = TestDevice.Encoding.GARBAGE;
    get(adapter.attach(hearth("lamp", d.uri()), null));
    await().atMost(Duration.ofSeconds(5)).until(() -> adapter.droppedMessages() == 1);
    d.encoding = TestDevice.Encoding.TEXT_PLAIN;
    d.change(Map.of("brightness", 1));
    await().atMost(Duration.ofSeconds(5)).until(() -> adapter.droppedMessages() == 2);
    assertTrue(sink.states.isEmpty());
    assertTrue(sink.lastAvailability("lamp").online()); // it answered: garbage is not absence
    d.encoding = TestDevice.Encoding.CBOR;
    d.change(Map.of("brightness", 2, "temp", 21.5));
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.reported("lamp", Map.of("brightness", 2L, "temp", 21.5)));
  }

  @Test
  void largeStateArrivesBlockwise() throws Exception {
    String big = "x".repeat(3000);
    TestDevice d = device(Map.of("a", big, "b", big, "c", big));
    get(adapter.attach(hearth("big", d.uri()), null));
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.reported("big", Map.of("a", big, "b", big, "c", big)));
    d.change(Map.of("b", big + "y"));
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.reported("big", Map.of("b", big + "y")));
  }

  @Test
  void sendFailsWhenNotAttachedOrStopped() throws Exception {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> get(adapter.send(set("c5", "nobody", Map.of("power", true), Duration.ofSeconds(5)))));
    assertTrue(e.getCause().getMessage().contains("not attached"));
    TestDevice d = device(Map.of("power", false));
    get(adapter.attach(hearth("lamp", d.uri()), null));
    get(adapter.stop());
    e = assertThrows(ExecutionException.class,
        () -> get(adapter.send(set("c6", "lamp", Map.of("power", true), Duration.ofSeconds(5)))));
    assertTrue(e.getCause().getMessage().contains("stopped"));
    assertFalse(adapter.isUp());
    assertEquals(List.of(true, false), sink.transport);
  }

  @Test
  void requestIsNeverRetransmittedPastExpiresAt() throws Exception {
    // GIVEN a device that loses everything, and a span far longer than the command's life
    TestDevice d = device(Map.of("power", false));
    get(adapter.attach(hearth("lamp", d.uri()), null));
    await().atMost(Duration.ofSeconds(5)).until(() -> !sink.states.isEmpty());
    CoapDeviceAdapter slow = new CoapDeviceAdapter(context,
        FAST.withTransmission(Duration.ofMillis(100), 1.0, 6)); // span 6.3 s
    get(slow.start(new CoapSink(context)));
    try {
      get(slow.attach(hearth("lamp", d.uri()), null));
      await().atMost(Duration.ofSeconds(5)).until(() -> d.connector.arrivals.size() >= 4);
      d.connector.loss = 1.0;
      int before = d.connector.arrivals.size();
      Instant expires = Instant.now().plusMillis(550);
      get(slow.send(set("c7", "lamp", Map.of("power", true), Duration.between(Instant.now(), expires))));
      // THEN it is cancelled at expiresAt: no datagram after it (observations may re-register; count requests)
      await().atMost(Duration.ofSeconds(3)).until(() -> slow.inFlightRequests() == 0);
      assertTrue(Instant.now().isBefore(expires.plusMillis(600)), "cancelled late");
      long expiresNanos = System.nanoTime();
      int atCancel = d.connector.arrivals.size();
      assertTrue(atCancel - before >= 3, "retransmitted before the deadline: " + (atCancel - before));
      assertTrue(d.executedPuts.isEmpty());
      // ACK_TIMEOUT 100 ms doubling: sends at 0, 100, 300 ms; the one due at 700 ms must never leave
      await().during(Duration.ofMillis(1000)).atMost(Duration.ofMillis(1500))
          .until(() -> d.connector.arrivals.stream().noneMatch(t -> t > expiresNanos));
    } finally {
      get(slow.stop());
    }
  }
}
