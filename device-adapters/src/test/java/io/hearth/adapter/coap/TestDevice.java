package io.hearth.adapter.coap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;

/**
 * A hearth-convention CoAP device for tests, on its own Californium server: observable
 * {@code /state} and {@code /events}, {@code PUT /state}, {@code POST /actions/blink}. Every PUT
 * executed is recorded (Californium's deduplication keeps retransmissions from executing twice).
 */
final class TestDevice implements AutoCloseable {
  /** How {@code GET /state} is encoded. */
  enum Encoding { JSON, CBOR, GARBAGE, TEXT_PLAIN }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CBORMapper CBOR = new CBORMapper();

  final Map<String, Object> state = new ConcurrentHashMap<>();
  final List<String> executedPuts = new CopyOnWriteArrayList<>();
  final AtomicInteger stateGets = new AtomicInteger();
  final AtomicInteger eventGets = new AtomicInteger();
  /** When each request for {@code /events} arrived (System.nanoTime), whether the resource exists or not. */
  final List<Long> eventRequestNanos = new CopyOnWriteArrayList<>();
  volatile Encoding encoding = Encoding.JSON;
  volatile long maxAge = 60;
  volatile String rejectWith;
  volatile Map<String, Object> lastEvent;
  private final CoapServer server;
  private final StateResource stateResource = new StateResource();
  private final EventsResource eventsResource = new EventsResource();
  final LossyConnector connector;

  TestDevice(int port, double loss, Map<String, Object> initial) {
    Configuration config = new Configuration(CoapConfig.DEFINITIONS, UdpConfig.DEFINITIONS);
    config.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, 1);
    config.set(CoapConfig.ACK_TIMEOUT, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
    config.set(CoapConfig.MAX_RETRANSMIT, 3);
    config.set(UdpConfig.UDP_RECEIVER_THREAD_COUNT, 1);
    config.set(UdpConfig.UDP_SENDER_THREAD_COUNT, 1);
    state.putAll(initial);
    server = new CoapServer(config);
    connector = new LossyConnector(new InetSocketAddress("127.0.0.1", port), config, loss);
    CoapEndpoint endpoint = new CoapEndpoint.Builder().setConfiguration(config).setConnector(connector).build();
    endpoint.addInterceptor(new org.eclipse.californium.core.network.interceptors.MessageInterceptorAdapter() {
      @Override
      public void receiveRequest(org.eclipse.californium.core.coap.Request request) {
        if (request.getOptions().getUriPath().equals(List.of("events"))) {
          eventRequestNanos.add(System.nanoTime());
        }
      }
    });
    server.addEndpoint(endpoint);
    CoapResource actions = new CoapResource("actions");
    actions.add(new CoapResource("blink") {
      @Override
      public void handlePOST(CoapExchange exchange) {
        exchange.respond(ResponseCode.CONTENT, "{\"done\":true}", 50);
      }
    });
    server.add(stateResource, eventsResource, actions);
    server.start();
  }

  int port() {
    return server.getEndpoints().get(0).getAddress().getPort();
  }

  String uri() {
    return "coap://127.0.0.1:" + port();
  }

  /** Changes the state from the device side and notifies observers. */
  void change(Map<String, Object> changes) {
    state.putAll(changes);
    stateResource.changed();
  }

  /** Removes {@code /events}, as on a device that has none: requests for it are answered 4.04. */
  void withoutEvents() {
    server.remove(eventsResource);
  }

  void emit(String name, Map<String, Object> data) {
    lastEvent = Map.of("name", name, "data", data);
    eventsResource.changed();
  }

  @Override
  public void close() {
    server.stop();
    server.destroy();
  }

  private final class StateResource extends CoapResource {
    StateResource() {
      super("state");
      setObservable(true);
      setObserveType(Type.CON);
      getAttributes().setObservable();
    }

    @Override
    public void handleGET(CoapExchange exchange) {
      stateGets.incrementAndGet();
      exchange.setMaxAge(maxAge);
      try {
        switch (encoding) {
          case JSON -> exchange.respond(ResponseCode.CONTENT, JSON.writeValueAsBytes(state), 50);
          case CBOR -> exchange.respond(ResponseCode.CONTENT, CBOR.writeValueAsBytes(state), 60);
          case GARBAGE -> exchange.respond(ResponseCode.CONTENT, "{not json".getBytes(StandardCharsets.UTF_8), 50);
          case TEXT_PLAIN -> exchange.respond(ResponseCode.CONTENT, JSON.writeValueAsBytes(state), 0);
          default -> throw new IllegalStateException();
        }
      } catch (java.io.IOException e) {
        exchange.respond(ResponseCode.INTERNAL_SERVER_ERROR);
      }
    }

    @Override
    public void handlePUT(CoapExchange exchange) {
      String body = new String(exchange.getRequestPayload(), StandardCharsets.UTF_8);
      String reject = rejectWith;
      if (reject != null) {
        exchange.respond(ResponseCode.BAD_REQUEST, reject);
        return;
      }
      executedPuts.add(body);
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> changes = JSON.readValue(body, Map.class);
        state.putAll(changes);
      } catch (java.io.IOException e) {
        exchange.respond(ResponseCode.BAD_REQUEST, "not JSON");
        return;
      }
      exchange.respond(ResponseCode.CHANGED);
      changed();
    }
  }

  private final class EventsResource extends CoapResource {
    EventsResource() {
      super("events");
      setObservable(true);
      setObserveType(Type.CON);
    }

    @Override
    public void handleGET(CoapExchange exchange) {
      eventGets.incrementAndGet();
      Map<String, Object> e = lastEvent;
      try {
        exchange.respond(ResponseCode.CONTENT, e == null ? new byte[0] : JSON.writeValueAsBytes(e), 50);
      } catch (java.io.IOException ex) {
        exchange.respond(ResponseCode.INTERNAL_SERVER_ERROR);
      }
    }
  }
}
