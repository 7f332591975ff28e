package io.hearth.sim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.hearth.sim.coap.CoapSimDevice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Simulated CoAP devices ({@code hearth} convention) driven by a plain Californium client as the
 * gateway. Every device listens on a port the OS picked (base port 0).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CoapDeviceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

  private static Simulator sim;
  private static CoapGatewaySide gw;

  @BeforeAll
  static void start() throws Exception {
    List<SimDeviceSpec> specs = new ArrayList<>();
    for (String[] d : new String[][] {{"lamp", "light.dimmable"}, {"plug", "plug"}, {"curtain", "curtain"},
        {"lock", "lock"}, {"faulty", "light.dimmable"}, {"lossy", "light.dimmable"}, {"thermo", "thermostat"},
        {"door", "sensor.contact"}, {"raw", "sensor.climate"}}) {
      specs.add(SimDeviceSpec.coap(d[0], d[1], null));
    }
    sim = Simulator.start(SimOptions.defaults("tcp://127.0.0.1:1").withCoapBasePort(0), specs);
    // no answer → gives up after 200 + 400 + 800 ms
    gw = new CoapGatewaySide(200, 2);
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  private static String uri(String device, String path) {
    return sim.coapDevice(device).uri() + path;
  }

  private static Map<String, Object> json(CoapResponse r) throws Exception {
    assertEquals(MediaTypeRegistry.APPLICATION_JSON, r.getOptions().getContentFormat(), r.toString());
    return JSON.readValue(r.getPayload(), MAP);
  }

  private static CoapResponse put(String device, String body) throws Exception {
    return gw.client(uri(device, "/state")).put(body, MediaTypeRegistry.APPLICATION_JSON);
  }

  /** Waits for a notification whose JSON body satisfies {@code test}. */
  private static Map<String, Object> awaitNotification(BlockingQueue<CoapResponse> q,
      java.util.function.Predicate<Map<String, Object>> test) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      CoapResponse r = q.poll(100, TimeUnit.MILLISECONDS);
      if (r != null && r.getPayloadSize() > 0 && r.getOptions().getContentFormat() == MediaTypeRegistry.APPLICATION_JSON) {
        Map<String, Object> m;
        try {
          m = JSON.readValue(r.getPayload(), MAP);
        } catch (java.io.IOException e) {
          continue; // a raw payload injected on purpose
        }
        if (test.test(m)) {
          return m;
        }
      }
    }
    throw new AssertionError("no matching notification within 10 s");
  }

  @Test
  void discoveryListsResourcesWithProfileResourceType() throws Exception {
    CoapResponse r = gw.client(uri("curtain", "/.well-known/core")).get();
    assertEquals(ResponseCode.CONTENT, r.getCode());
    String links = r.getResponseText();
    assertTrue(links.contains("</state>;") && links.contains("rt=\"hearth.curtain\""), links);
    assertTrue(links.matches("(?s).*</state>;[^,]*obs.*"), links);
    assertTrue(links.contains("</events>;") && links.contains("</actions/open>") && links.contains("</actions/stop>"),
        links);
  }

  @Test
  void getStateAsJsonWithMaxAgeAndAsCborOnAccept() throws Exception {
    // GIVEN a lamp; WHEN the gateway GETs /state without Accept THEN JSON with Max-Age
    CoapResponse r = gw.client(uri("lamp", "/state")).get();
    assertEquals(ResponseCode.CONTENT, r.getCode());
    Map<String, Object> state = json(r);
    assertTrue(state.containsKey("power") && state.containsKey("brightness"), state.toString());
    assertEquals(60L, r.getOptions().getMaxAge()); // two report intervals of 30 s
    // WHEN it asks with Accept 60 THEN CBOR of the same state
    CoapResponse c = gw.client(uri("lamp", "/state")).get(MediaTypeRegistry.APPLICATION_CBOR);
    assertEquals(MediaTypeRegistry.APPLICATION_CBOR, c.getOptions().getContentFormat());
    assertEquals(state.keySet(), CBOR.readValue(c.getPayload(), MAP).keySet());
    assertEquals(0xA0 + state.size(), c.getPayload()[0] & 0xFF, "a definite-length CBOR map");
    // WHEN it accepts only text THEN 4.06
    assertEquals(ResponseCode.NOT_ACCEPTABLE, gw.client(uri("lamp", "/state")).get(MediaTypeRegistry.TEXT_PLAIN).getCode());
  }

  @Test
  void putValidChangesStateAndNotifiesObservers() throws Exception {
    BlockingQueue<CoapResponse> notes = gw.observe(uri("lamp", "/state"), -1);
    awaitNotification(notes, m -> true); // the observe registration's answer
    CoapResponse r = put("lamp", "{\"power\":true,\"brightness\":37}");
    assertEquals(ResponseCode.CHANGED, r.getCode());
    Map<String, Object> n = awaitNotification(notes, m -> Integer.valueOf(37).equals(m.get("brightness")));
    assertEquals(true, n.get("power"));
    assertEquals(37, sim.device("lamp").state().get("brightness"));
    // CBOR body works too
    byte[] body = CBOR.writeValueAsBytes(Map.of("color_temp", 3000));
    assertEquals(ResponseCode.CHANGED, gw.client(uri("lamp", "/state")).put(body, MediaTypeRegistry.APPLICATION_CBOR).getCode());
    awaitNotification(notes, m -> Integer.valueOf(3000).equals(m.get("color_temp")));
  }

  @Test
  void putInvalidAnswersBadRequestWithDiagnostic() throws Exception {
    int before = sim.device("plug").commandsReceived();
    CoapResponse r = put("plug", "{\"power\":\"yes\",\"power_w\":5,\"volume\":3}");
    assertEquals(ResponseCode.BAD_REQUEST, r.getCode());
    String text = r.getResponseText();
    assertTrue(text.contains("power: expected a boolean") && text.contains("power_w: read-only")
        && text.contains("volume: unknown property"), text);
    assertEquals(ResponseCode.BAD_REQUEST, put("plug", "not json").getCode());
    assertEquals(ResponseCode.BAD_REQUEST, put("plug", "{}").getCode());
    assertEquals(ResponseCode.UNSUPPORTED_CONTENT_FORMAT,
        gw.client(uri("plug", "/state")).put("power=1", MediaTypeRegistry.TEXT_PLAIN).getCode());
    assertEquals(false, sim.device("plug").state().get("power"));
    assertEquals(before + 4, sim.device("plug").commandsReceived());
  }

  @Test
  void curtainOpensByActionAndUnknownActionIsNotFound() throws Exception {
    BlockingQueue<CoapResponse> notes = gw.observe(uri("curtain", "/state"), -1);
    // the registration is asynchronous: a move that starts before it is answered may pass 50 unseen
    awaitNotification(notes, m -> Integer.valueOf(0).equals(m.get("position")));
    CoapResponse r = gw.client(uri("curtain", "/actions/open")).post(new byte[0], MediaTypeRegistry.UNDEFINED);
    assertEquals(ResponseCode.CHANGED, r.getCode());
    awaitNotification(notes, m -> Integer.valueOf(50).equals(m.get("position")));
    awaitNotification(notes, m -> Integer.valueOf(100).equals(m.get("position")));
    assertEquals(ResponseCode.NOT_FOUND,
        gw.client(uri("curtain", "/actions/fly")).post("{}", MediaTypeRegistry.APPLICATION_JSON).getCode());
    assertEquals(ResponseCode.BAD_REQUEST,
        gw.client(uri("lamp", "/actions/blink")).post("{\"times\":99}", MediaTypeRegistry.APPLICATION_JSON).getCode());
  }

  @Test
  void jammedLockAnswersServerErrorAndEmitsEvent() throws Exception {
    CoapSimDevice lock = sim.coapDevice("lock");
    BlockingQueue<CoapResponse> events = gw.observe(uri("lock", "/events"), -1);
    CoapResponse first = events.poll(5, TimeUnit.SECONDS);
    assertNotNull(first);
    assertEquals(ResponseCode.CONTENT, first.getCode());
    assertEquals(0, first.getPayloadSize()); // no event yet
    lock.setFaults(SimFaults.NONE.withJammed(true));
    try {
      CoapResponse r = put("lock", "{\"locked\":false}");
      assertEquals(ResponseCode.INTERNAL_SERVER_ERROR, r.getCode());
      assertTrue(r.getResponseText().contains("jammed"), r.getResponseText());
      Map<String, Object> e = awaitNotification(events, m -> "jammed".equals(m.get("name")));
      assertEquals(Map.of("locked", true), e.get("data"));
      assertEquals(true, lock.state().get("locked"));
    } finally {
      lock.setFaults(SimFaults.NONE);
    }
    lock.emitEvent("tamper", Map.of("level", 2));
    awaitNotification(events, m -> "tamper".equals(m.get("name")));
  }

  @Test
  void faultsRejectDelayAndDroppedReplies() throws Exception {
    CoapSimDevice d = sim.coapDevice("faulty");
    try {
      // reject: 4.03, nothing applied
      d.setFaults(SimFaults.NONE.withReject(true));
      CoapResponse r = put("faulty", "{\"brightness\":11}");
      assertEquals(ResponseCode.FORBIDDEN, r.getCode());
      assertEquals("rejected by device", r.getResponseText());
      assertEquals(100, d.state().get("brightness"));
      // delay: answered after it, once, although the request was retransmitted meanwhile
      d.setFaults(SimFaults.NONE.withReplyDelayMs(700));
      int before = d.commandsReceived();
      long t0 = System.nanoTime();
      r = put("faulty", "{\"brightness\":12}");
      assertEquals(ResponseCode.CHANGED, r.getCode());
      assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(700));
      assertEquals(before + 1, d.commandsReceived());
      // dropped reply: applied once, no answer at all, so the client times out
      d.setFaults(SimFaults.NONE.withDropReplies(true));
      before = d.commandsReceived();
      assertNull(put("faulty", "{\"brightness\":13}"));
      assertEquals(13, d.state().get("brightness"));
      assertEquals(before + 1, d.commandsReceived());
    } finally {
      d.setFaults(SimFaults.NONE);
    }
  }

  @Test
  void packetLossNeverExecutesARequestTwice() throws Exception {
    // GIVEN 30 % loss each way on the device and a client retrying 3 times (100, 200, 400, 800 ms)
    CoapSimDevice d = sim.coapDevice("lossy");
    d.setFaults(SimFaults.NONE.withPacketLoss(0.3));
    int n = 60;
    List<Request> requests = new ArrayList<>();
    List<CompletableFuture<Response>> outcomes = new ArrayList<>();
    try (CoapGatewaySide lossyGw = new CoapGatewaySide(100, 3)) {
      for (int i = 0; i < n; i++) {
        Request req = Request.newPut();
        req.setURI(uri("lossy", "/state"));
        req.setPayload("{\"brightness\":" + (i % 101) + "}");
        req.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
        CompletableFuture<Response> f = new CompletableFuture<>();
        req.addMessageObserver(new MessageObserverAdapter() {
          @Override
          public void onResponse(Response response) {
            f.complete(response);
          }

          @Override
          public void onTimeout() {
            f.complete(null);
          }
        });
        requests.add(req);
        outcomes.add(f);
        lossyGw.endpoint().sendRequest(req);
      }
      // WHEN every request has either completed or timed out
      CompletableFuture.allOf(outcomes.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
    } finally {
      d.setFaults(SimFaults.NONE);
    }
    // THEN no request id was executed twice, every answered one exactly once
    List<String> ids = d.receivedCommandIds();
    assertEquals(ids.size(), new HashSet<>(ids).size(), "a request was executed twice: " + ids);
    assertTrue(ids.size() <= n);
    int answered = 0;
    for (int i = 0; i < n; i++) {
      Response resp = outcomes.get(i).get();
      if (resp != null) {
        answered++;
        assertEquals(ResponseCode.CHANGED, resp.getCode());
        Request req = requests.get(i);
        assertTrue(ids.contains(req.getTokenString() + ":" + req.getMID()), "answered but not executed: " + req);
      }
    }
    assertTrue(answered > 0 && d.droppedDatagrams() > 0, "answered " + answered + ", dropped " + d.droppedDatagrams());
    // retransmissions reached the device (more datagrams than executions) and were absorbed
    assertTrue(d.deliveredDatagrams() > ids.size(), d.deliveredDatagrams() + " delivered, " + ids.size() + " executed");
  }

  @Test
  void offlineWithWillTimesOutThenObserveCanBeReestablished() throws Exception {
    CoapSimDevice d = sim.coapDevice("thermo");
    int port = d.port();
    BlockingQueue<CoapResponse> notes = gw.observe(uri("thermo", "/state"), -1);
    awaitNotification(notes, m -> true);
    d.goOffline(true);
    assertEquals(false, d.online());
    // a power cut: nothing said, requests time out
    assertNull(gw.client(uri("thermo", "/state")).get());
    assertNull(put("thermo", "{\"target_temp\":22.5}"));
    d.goOnline();
    assertEquals(port, d.port());
    // the old observation is gone; a new one works on the same port
    notes.clear();
    BlockingQueue<CoapResponse> again = gw.observe(uri("thermo", "/state"), -1);
    awaitNotification(again, m -> true);
    assertEquals(ResponseCode.CHANGED, put("thermo", "{\"target_temp\":23.5}").getCode());
    awaitNotification(again, m -> Double.valueOf(23.5).equals(m.get("target_temp")));
  }

  @Test
  void offlineWithoutWillEndsObservationsWithServiceUnavailable() throws Exception {
    CoapSimDevice d = sim.coapDevice("door");
    BlockingQueue<CoapResponse> notes = gw.observe(uri("door", "/state"), -1);
    awaitNotification(notes, m -> true);
    d.setState(Map.of("open", true));
    awaitNotification(notes, m -> Boolean.TRUE.equals(m.get("open")));
    d.goOffline(false);
    await().atMost(Duration.ofSeconds(5)).until(() -> notes.stream()
        .anyMatch(r -> r.getCode() == ResponseCode.SERVICE_UNAVAILABLE));
    assertNull(gw.client(uri("door", "/state")).get());
    d.goOnline();
    assertEquals(ResponseCode.CONTENT, gw.client(uri("door", "/state")).get().getCode());
  }

  @Test
  void rawPayloadReplacesTheNextNotification() throws Exception {
    CoapSimDevice d = sim.coapDevice("raw");
    BlockingQueue<CoapResponse> notes = gw.observe(uri("raw", "/state"), -1);
    awaitNotification(notes, m -> true);
    d.publishRaw("state", "garbage{".getBytes(), MediaTypeRegistry.APPLICATION_JSON);
    await().atMost(Duration.ofSeconds(5)).until(() -> notes.stream()
        .anyMatch(r -> "garbage{".equals(r.getResponseText())));
    // the one after is real again
    d.setState(Map.of("battery", 50));
    awaitNotification(notes, m -> Integer.valueOf(50).equals(m.get("battery")));
  }

  @Test
  void deviceCountsAndIdsExecutedRequests() throws Exception {
    CoapSimDevice d = sim.coapDevice("lamp");
    CoapClient c = gw.client(uri("lamp", "/state"));
    Request req = Request.newPut();
    req.setPayload("{\"brightness\":5}");
    req.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_JSON);
    CoapResponse r = c.advanced(req);
    assertEquals(ResponseCode.CHANGED, r.getCode());
    List<String> ids = d.receivedCommandIds();
    assertEquals(req.getTokenString() + ":" + req.getMID(), ids.get(ids.size() - 1));
  }
}
