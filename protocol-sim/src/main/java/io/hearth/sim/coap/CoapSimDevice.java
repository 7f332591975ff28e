package io.hearth.sim.coap;

import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimOptions;
import io.hearth.sim.behavior.Outcome;
import io.hearth.sim.support.CoreDelegatingDevice;
import io.hearth.sim.support.DeviceCore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated device on CoAP ({@code hearth} convention, {@code docs/conventions-coap.md}): a CoAP
 * server on its own UDP port with {@code /state} (GET/observe, PUT), {@code /events} (GET/observe),
 * {@code /actions/{name}} (POST) and {@code /.well-known/core}. Its Californium endpoint uses the
 * simulator's shared {@link CoapRuntime} executors and a {@link VertxUdpConnector} on the shared event
 * loops. Requests arrive on Californium's threads, hop at once to the device's event-loop context,
 * where the behaviour runs (as for MQTT devices), and are answered from there.
 *
 * <p>{@link #commandsReceived()} counts executed PUT /state and POST /actions requests;
 * {@link #receivedCommandIds()} holds one {@code <token hex>:<message id>} per executed PUT /state
 * or POST /actions request; a retransmission is absorbed by Californium's deduplication and never
 * appears twice. Going offline destroys the endpoint; going online builds a fresh one on the same
 * port (a reboot: new observe relations, new message ids). The transport-neutral part (behaviour,
 * faults, counters, reports) lives in a {@link DeviceCore}; this class keeps the endpoint and resources.
 */
public final class CoapSimDevice extends CoreDelegatingDevice {

  private static final Logger LOG = LoggerFactory.getLogger(CoapSimDevice.class);
  private static final long GOODBYE_WAIT_MS = 1000;

  private final SimOptions options;
  private final Vertx vertx;
  private final Context context;
  private final DeviceCore core;
  private final CoapRuntime runtime;
  private final InetAddress host;

  private volatile int port;
  private volatile Map<String, Object> lastEvent;
  private volatile boolean online;
  private volatile String lastError;
  private volatile CoapServing live;
  // confined to the device's context
  private Future<Void> starting;
  private boolean wantOnline;
  private boolean closed;

  /**
   * @param port the UDP port to listen on (0: any free port); ignored when the spec has a uri
   * @throws IllegalArgumentException for an unknown profile, a convention other than hearth or an
   *                                  unresolvable host
   */
  public CoapSimDevice(Vertx vertx, Context context, CoapRuntime runtime, SimOptions options, SimDeviceSpec spec,
      int port) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.context = Objects.requireNonNull(context, "context");
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.options = Objects.requireNonNull(options, "options");
    Objects.requireNonNull(spec, "spec");
    if (!"hearth".equals(spec.convention())) {
      throw new IllegalArgumentException("CoAP convention " + spec.convention() + " of device " + spec.id()
          + " is not simulated (hearth only)");
    }
    this.core = new DeviceCore(vertx, context, options, spec, new Reports());
    URI uri = spec.uri() == null ? null : URI.create(spec.uri());
    this.port = uri == null ? port : (uri.getPort() < 0 ? 5683 : uri.getPort());
    try {
      this.host = InetAddress.getByName(uri == null ? "127.0.0.1" : uri.getHost());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host in binding.uri of device " + spec.id() + ": " + spec.uri(), e);
    }
  }

  /** Starts listening (and registering with the RD if configured); completes once the port is bound. */
  @Override
  public Future<Void> start() {
    return core.start(this::bringUp);
  }

  private Future<Void> bringUp() {
    wantOnline = true;
    if (live != null) {
      return Future.succeededFuture();
    }
    if (starting == null) {
      starting = runtime.blocking(context, () -> CoapServing.start(this, vertx, runtime, host, port, core.actions()))
          .compose(this::serving, e -> {
            starting = null;
            lastError = e.getMessage();
            LOG.warn("device cannot listen [device: {}]: {}", core.id(), e.getMessage());
            return Future.failedFuture(e);
          });
    }
    return starting;
  }

  private Future<Void> serving(CoapServing s) {
    starting = null;
    if (closed || !wantOnline) {
      return runtime.blocking(context, () -> s.destroy()).transform(ar -> Future.failedFuture("went offline"));
    }
    live = s;
    port = s.port();
    online = true;
    lastError = null;
    LOG.debug("device listening [device: {}, uri: {}]", core.id(), uri());
    if (options.coapRdUri() != null) {
      s.register(vertx, context, options.coapRdUri(), options.coapRdLifetimeSeconds(), core.id());
    }
    return Future.succeededFuture();
  }

  // ---- requests (Californium threads, then the device's context) ----

  void onPut(CoapExchange exchange) {
    Map<String, Object> values = decode(exchange);
    if (values != null) {
      process(exchange, () -> core.set(values));
    }
  }

  void onAction(CoapExchange exchange, String name) {
    Map<String, Object> input = decode(exchange);
    if (input != null) {
      process(exchange, () -> core.act(name, input));
    }
  }

  /** Counts the request and decodes its body; answers 4.15/4.00 itself and returns null when it cannot. */
  private Map<String, Object> decode(CoapExchange exchange) {
    Request request = exchange.advanced().getRequest();
    String id = request.getTokenString() + ":" + request.getMID();
    core.received(id);
    LOG.debug("request received [device: {}, id: {}, method: {}, path: {}]", core.id(), id, request.getCode(),
        request.getOptions().getUriPathString());
    int format = exchange.getRequestOptions().getContentFormat();
    if (format != MediaTypeRegistry.UNDEFINED && !Payloads.supported(format)) {
      exchange.respond(ResponseCode.UNSUPPORTED_CONTENT_FORMAT, "content-format 50 (JSON) or 60 (CBOR)");
      return null;
    }
    try {
      return Payloads.decodeObject(exchange.getRequestPayload(), format);
    } catch (IOException e) {
      exchange.respond(ResponseCode.BAD_REQUEST, "payload is not a " + (format == Payloads.CBOR ? "CBOR" : "JSON")
          + " object");
      return null;
    }
  }

  /** On the device's context after the reply delay: runs the command, notifies, answers (unless dropped). */
  private void process(CoapExchange exchange, Supplier<Outcome> command) {
    context.runOnContext(v -> core.afterReplyDelay(() -> execute(exchange, command)));
  }

  private void execute(CoapExchange exchange, Supplier<Outcome> command) {
    Outcome outcome = command.get();
    if (outcome.ok()) {
      core.stateChanged();
    }
    if (core.dropReply()) {
      LOG.debug("response dropped [device: {}, mid: {}]", core.id(), exchange.advanced().getRequest().getMID());
      return;
    }
    if (outcome.ok()) {
      exchange.respond(ResponseCode.CHANGED);
    } else if (outcome == DeviceCore.REJECTED) {
      exchange.respond(ResponseCode.FORBIDDEN, outcome.error());
    } else if (outcome.deviceFault()) {
      exchange.respond(ResponseCode.INTERNAL_SERVER_ERROR, outcome.error());
    } else {
      exchange.respond(ResponseCode.BAD_REQUEST, outcome.error());
    }
    LOG.debug("request answered [device: {}, mid: {}, ok: {}]", core.id(), exchange.advanced().getRequest().getMID(),
        outcome.ok());
  }

  Map<String, Object> lastEvent() {
    return lastEvent;
  }

  /** Max-Age of state answers: two report intervals, since a notification goes out at each. */
  long maxAgeSeconds() {
    return Math.max(1, (2 * core.reportIntervalMs() + 999) / 1000);
  }

  // ---- public API (any thread) ----

  @Override
  protected DeviceCore core() {
    return core;
  }

  /** The UDP port the device listens on (0 before the first start when it was asked to pick one). */
  public int port() {
    return port;
  }

  /** {@code coap://host:port} of the device. */
  public String uri() {
    return "coap://" + host.getHostAddress() + ":" + port;
  }

  /**
   * Goes offline: the endpoint is destroyed, so requests time out and observations end. Without will
   * (a clean shutdown) every observer first gets a 5.03 notification that ends its observation
   * (waiting at most 1 s for them to leave); with will (power cut) nothing is sent.
   */
  @Override
  public void goOffline(boolean withWill) {
    core.await(() -> goOfflineOnContext(withWill));
  }

  private Future<Void> goOfflineOnContext(boolean withWill) {
    wantOnline = false;
    CoapServing s = live;
    live = null;
    online = false;
    if (s == null) {
      return starting == null ? Future.succeededFuture() : starting.otherwiseEmpty().mapEmpty();
    }
    LOG.info("device going offline [device: {}, uri: {}, goodbye: {}]", core.id(), uri(), !withWill);
    s.stopRegistration();
    Future<Void> bye = Future.succeededFuture();
    if (!withWill) {
      Promise<Void> p = Promise.promise();
      Future.join(s.state().sayGoodbye(), s.events().sayGoodbye()).onComplete(ar -> p.tryComplete());
      vertx.setTimer(GOODBYE_WAIT_MS, t -> p.tryComplete());
      bye = p.future();
    }
    return bye.compose(v -> runtime.blocking(context, s::destroy));
  }

  /** Listens again on the same port with a fresh endpoint (and registers again with the RD). */
  @Override
  public void goOnline() {
    LOG.info("device going online [device: {}, uri: {}]", core.id(), uri());
    core.await(this::bringUp);
  }

  @Override
  public boolean online() {
    return online;
  }

  @Override
  public String lastError() {
    return lastError;
  }

  /** The next {@code /state} notification carries {@code payload} labelled JSON (content-format 50). */
  @Override
  public void publishRaw(String subtopic, byte[] payload) {
    publishRaw(subtopic, payload, Payloads.JSON);
  }

  /**
   * The next notification of {@code /state} (subtopic null, empty or {@code state}) or {@code /events}
   * (subtopic {@code events}) to each current observer carries {@code payload} with this
   * content-format instead of the real document.
   *
   * @throws IllegalStateException when the device is offline
   */
  @Override
  public void publishRaw(String subtopic, byte[] payload, int contentFormat) {
    Objects.requireNonNull(payload, "payload");
    boolean events = "events".equals(subtopic);
    if (!events && subtopic != null && !subtopic.isEmpty() && !"state".equals(subtopic)) {
      throw new IllegalArgumentException("CoAP devices take 'state' or 'events', not " + subtopic);
    }
    CoapServing s = live;
    if (s == null) {
      throw new IllegalStateException("device " + core.id() + " is offline");
    }
    (events ? s.events() : s.state()).injectRaw(payload, contentFormat);
  }

  /** Datagrams lost to the packet-loss fault since the device last came online, both directions. */
  public long droppedDatagrams() {
    CoapServing s = live;
    return s == null ? 0 : s.connector().dropped();
  }

  /** Datagrams that reached the device's socket since it last came online (lost ones included). */
  public long receivedDatagrams() {
    CoapServing s = live;
    return s == null ? 0 : s.connector().received();
  }

  /**
   * Datagrams handed to Californium since the device last came online (arrived and not lost): new
   * requests, retransmissions, ACKs and resets.
   */
  public long deliveredDatagrams() {
    CoapServing s = live;
    return s == null ? 0 : s.connector().delivered();
  }

  /** Stops timers, the RD refresh and the endpoint; never fails. */
  @Override
  public Future<Void> close() {
    return core.close(() -> {
      closed = true;
      wantOnline = false;
      CoapServing s = live;
      live = null;
      online = false;
      if (s == null) {
        return Future.<Void>succeededFuture();
      }
      s.stopRegistration();
      return runtime.blocking(context, s::destroy);
    });
  }

  /** The device's reports as notifications of the observed resources. */
  private final class Reports implements DeviceCore.Reports {
    @Override
    public void stateChanged(Map<String, Object> snapshot) {
      CoapServing s = live;
      if (s != null) {
        s.state().changed();
      }
    }

    @Override
    public void event(String name, Map<String, Object> data) {
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("name", name);
      event.put("data", data);
      lastEvent = Collections.unmodifiableMap(event);
      CoapServing s = live;
      if (s != null) {
        s.events().changed();
      }
    }
  }
}
