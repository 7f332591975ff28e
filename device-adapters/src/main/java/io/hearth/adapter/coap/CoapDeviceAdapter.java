package io.hearth.adapter.coap;

import io.hearth.adapter.CommandReply;
import io.hearth.adapter.ContextCalls;
import io.hearth.adapter.DeviceAdapter;
import io.hearth.adapter.DeviceCommand;
import io.hearth.adapter.DeviceEvent;
import io.hearth.adapter.DeviceSink;
import io.hearth.adapter.StateReport;
import io.hearth.adapter.payload.MalformedPayloadException;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CoAP {@link DeviceAdapter} on Eclipse Californium: devices are CoAP servers reached from one
 * UDP client endpoint ({@code coap://}) or one DTLS-PSK client endpoint ({@code coaps://}), spoken
 * to through their {@link CoapConvention} ({@code hearth}, {@code generic}).
 *
 * <ul>
 *   <li>{@link #attach} observes the device's state (and events, {@code hearth}); an observation is
 *       re-registered when its Max-Age lapses and retried with backoff when it fails.
 *   <li>Availability: online when the device answers anything; offline with reason {@code timeout}
 *       when a request exhausted its retransmissions (or the first observation failed), or
 *       {@code observe_lost} when a working observation could not be re-registered.
 *   <li>{@link #send} sends one confirmable request; its future succeeds once the request left the
 *       gateway. The response is the reply: 2.xx ok, 4.xx/5.xx rejected with code and diagnostic
 *       payload. Exhausted retransmissions give no reply (the command service times the command
 *       out), and the request is cancelled at the command's {@code expiresAt}, so it is never
 *       retransmitted past it.
 *   <li>Inbound garbage and unsupported content-formats are logged, counted ({@link #droppedMessages()})
 *       and dropped.
 * </ul>
 * Every Californium callback (command responses, observe notifications) reaches the context given
 * to the constructor through one executor ({@link ContextCalls#executor}); every sink call and
 * future completion happens on it.
 */
public final class CoapDeviceAdapter implements DeviceAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(CoapDeviceAdapter.class);

  private final Context context;
  /** Every Californium callback of this adapter (responses, notifications) reaches it through here. */
  private final Executor onContext;
  private final Vertx vertx;
  private final CoapAdapterOptions options;
  private final CaliforniumClient client;
  private final Map<String, Session> sessions = new HashMap<>();
  private final Map<String, Request> inFlight = new HashMap<>();
  private final AtomicLong malformed = new AtomicLong();

  private DeviceSink sink;
  private volatile boolean up;
  private boolean stopped;

  public CoapDeviceAdapter(Context context, CoapAdapterOptions options) {
    this.context = Objects.requireNonNull(context, "context");
    this.onContext = ContextCalls.executor(context);
    this.vertx = context.owner();
    this.options = Objects.requireNonNull(options, "options");
    this.client = new CaliforniumClient(options, onContext);
  }

  @Override
  public Confirmation confirmation(DeviceDefinition device) {
    return Confirmation.REPLY;
  }

  @Override
  public boolean isUp() {
    return up;
  }

  /** Inbound payloads dropped so far: garbage, wrong content-format, too large. */
  @Override
  public long droppedMessages() {
    return malformed.get();
  }

  /** Command requests Californium is still transmitting or awaiting a response for. */
  public int inFlightRequests() {
    return inFlight.size();
  }

  public CoapAdapterOptions options() {
    return options;
  }

  @Override
  public Future<Void> start(DeviceSink sink) {
    Objects.requireNonNull(sink, "sink");
    return onContext(() -> {
      if (this.sink != null) {
        return Future.failedFuture(new IllegalStateException("already started"));
      }
      this.sink = sink;
      return vertx.<Void>executeBlocking(() -> {
        client.start();
        return null;
      }).onSuccess(v -> {
        if (stopped) {
          return;
        }
        up = true;
        safely(() -> sink.transportChanged(CoapBinding.PROTOCOL, true));
        sessions.values().forEach(this::observe);
      });
    });
  }

  @Override
  public Future<Void> stop() {
    return onContext(() -> {
      if (stopped) {
        return Future.succeededFuture();
      }
      stopped = true;
      boolean wasUp = up;
      up = false;
      sessions.values().forEach(Session::close);
      inFlight.values().forEach(Request::cancel);
      inFlight.clear();
      return vertx.<Void>executeBlocking(() -> {
        client.stop();
        return null;
      }).onComplete(r -> {
        if (wasUp && sink != null) {
          safely(() -> sink.transportChanged(CoapBinding.PROTOCOL, false));
        }
      });
    });
  }

  @Override
  public Future<Void> attach(DeviceDefinition device, Profile profile) {
    Objects.requireNonNull(device, "device");
    return onContext(() -> {
      CoapConvention convention;
      URI uri;
      Optional<PskCredentials> psk;
      try {
        convention = CoapConventions.forDevice(device);
        convention.statePath(device);
        uri = deviceUri(device);
        psk = PskCredentials.of(CoapBinding.of(device));
        if ("coaps".equals(uri.getScheme()) && psk.isEmpty()) {
          throw new IllegalArgumentException("a coaps:// device needs binding.psk {identity, key}");
        }
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      boolean secure = "coaps".equals(uri.getScheme());
      int port = uri.getPort() > 0 ? uri.getPort() : secure ? 5684 : 5683;
      String host = uri.getHost();
      return vertx.executeBlocking(() -> new InetSocketAddress(host, port)).compose(address -> {
        if (address.isUnresolved()) {
          return Future.failedFuture(new IllegalArgumentException("cannot resolve " + host));
        }
        Session previous = sessions.remove(device.id());
        if (previous != null) {
          previous.close();
        }
        if (secure) {
          PskCredentials p = psk.get();
          client.pskStore().addKnownPeer(address, p.identity(), p.key());
        }
        Session session = new Session(device, convention, address, secure);
        sessions.put(device.id(), session);
        LOG.debug("device attached [device: {}, convention: {}, address: {}, secure: {}]", device.id(),
            convention.name(), address, secure);
        if (up) {
          observe(session);
        }
        return Future.<Void>succeededFuture();
      });
    });
  }

  @Override
  public Future<Void> detach(String deviceId) {
    Objects.requireNonNull(deviceId, "deviceId");
    return onContext(() -> {
      Session s = sessions.remove(deviceId);
      if (s != null) {
        s.close();
        LOG.debug("device detached [device: {}]", deviceId);
      }
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Void> send(DeviceCommand command) {
    Objects.requireNonNull(command, "command");
    return onContext(() -> {
      Session s = sessions.get(command.deviceId());
      if (s == null) {
        return Future.failedFuture(new IllegalStateException("device " + command.deviceId() + " is not attached"));
      }
      Endpoint ep = up ? client.endpoint(s.secure) : null;
      if (ep == null) {
        return Future.failedFuture(new IllegalStateException("CoAP endpoint is stopped"));
      }
      long remaining = Duration.between(Instant.now(), command.expiresAt()).toMillis();
      if (remaining <= 0) {
        return Future.failedFuture(new IllegalStateException("command expired before it could be sent"));
      }
      CoapRequestSpec spec;
      try {
        spec = s.convention.encode(s.device, command, s.known);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      return sendCommand(s, ep, command, spec, remaining);
    });
  }

  private Future<Void> sendCommand(Session s, Endpoint ep, DeviceCommand command, CoapRequestSpec spec,
      long remainingMs) {
    String cid = command.commandId();
    Request request = spec.method() == CoapRequestSpec.Method.PUT ? Request.newPut() : Request.newPost();
    request.setConfirmable(true);
    spec.path().forEach(request.getOptions()::addUriPath);
    request.getOptions().setContentFormat(CoapPayloads.JSON);
    request.setPayload(spec.payload());
    request.setDestinationContext(new AddressEndpointContext(s.address));
    Promise<Void> sent = Promise.promise();
    long deadline = vertx.setTimer(remainingMs, t -> {
      if (inFlight.remove(cid, request)) {
        request.cancel(); // never retransmitted past the command's expiresAt
        LOG.debug("command request cancelled at its deadline [device: {}, cid: {}]", s.device.id(), cid);
      }
    });
    request.addMessageObserver(new OnContextObserver(onContext) {
      @Override
      void sent() {
        sent.tryComplete();
      }

      @Override
      void sendFailed(Throwable error) {
        finish(cid, request, deadline);
        if (!sent.tryFail(error)) {
          LOG.debug("command request failed after it was sent [device: {}, cid: {}]: {}", s.device.id(), cid,
              error.toString());
        }
      }

      @Override
      void responded(Response response) {
        finish(cid, request, deadline);
        sent.tryComplete();
        commandAnswered(s, command, response);
      }

      @Override
      void rejected() {
        finish(cid, request, deadline);
        sent.tryComplete();
        deviceAnswered(s);
        reply(new CommandReply(s.device.id(), cid, false, "the device reset the request (RST)", null));
      }

      @Override
      void timedOut() {
        finish(cid, request, deadline);
        LOG.debug("command request timed out [device: {}, cid: {}]", s.device.id(), cid);
        deviceLost(s, "timeout");
      }

      @Override
      void cancelled() {
        finish(cid, request, deadline);
        sent.tryFail(new IllegalStateException("request cancelled before it was sent"));
      }
    });
    inFlight.put(cid, request);
    ep.sendRequest(request);
    LOG.debug("command sent [device: {}, cid: {}, method: {}, path: {}]", s.device.id(), cid, spec.method(),
        spec.pathString());
    return sent.future();
  }

  private void finish(String cid, Request request, long deadline) {
    inFlight.remove(cid, request);
    vertx.cancelTimer(deadline);
  }

  private void commandAnswered(Session s, DeviceCommand command, Response response) {
    if (!sessions.containsKey(s.device.id())) {
      return;
    }
    deviceAnswered(s);
    if (response.isSuccess()) {
      Map<String, Object> output = Map.of();
      byte[] payload = response.getPayload();
      if (payload != null && payload.length > 0) {
        try {
          output = CoapPayloads.scalars(payload, response.getOptions().getContentFormat());
        } catch (MalformedPayloadException e) {
          LOG.debug("response payload is not an object, ignored [device: {}, cid: {}]", s.device.id(),
              command.commandId());
        }
      }
      if (!command.isAction()) {
        s.known.putAll(command.set());
      }
      reply(new CommandReply(s.device.id(), command.commandId(), true, null, output));
      return;
    }
    var code = response.getCode();
    String diagnostic = CoapPayloads.diagnostic(response.getPayload());
    String error = code.codeClass + "." + String.format("%02d", code.codeDetail) + " " + code.text
        + (diagnostic.isEmpty() ? "" : ": " + diagnostic);
    reply(new CommandReply(s.device.id(), command.commandId(), false, error, null));
  }

  private void reply(CommandReply r) {
    LOG.debug("reply received [device: {}, cid: {}, ok: {}]", r.deviceId(), r.commandId(), r.ok());
    safely(() -> sink.commandReplied(r));
  }

  private void observe(Session s) {
    s.state = new Observation(vertx, onContext, client, () -> up ? client.endpoint(s.secure) : null, s.address,
        s.convention.statePath(s.device), options, s.device.id(), new Observation.Listener() {
          @Override
          public void notified(Response response, boolean first) {
            stateNotified(s, response);
          }

          @Override
          public void failed(boolean wasEstablished, String cause) {
            deviceLost(s, wasEstablished ? "observe_lost" : "timeout");
          }
        });
    s.state.register();
    s.convention.eventsPath(s.device).ifPresent(path -> {
      s.events = new Observation(vertx, onContext, client, () -> up ? client.endpoint(s.secure) : null, s.address, path, options,
          s.device.id(), new Observation.Listener() {
            @Override
            public void notified(Response response, boolean first) {
              eventNotified(s, response, first);
            }

            @Override
            public void failed(boolean wasEstablished, String cause) {
              // availability follows the state observation
            }
          });
      s.events.register();
    });
  }

  private void stateNotified(Session s, Response response) {
    deviceAnswered(s);
    if (!response.isSuccess()) {
      LOG.warn("device refused the state observation [device: {}, code: {}]", s.device.id(), response.getCode());
      return;
    }
    Map<String, Object> props;
    try {
      props = s.convention.decodeState(payload(response), response.getOptions().getContentFormat());
    } catch (MalformedPayloadException e) {
      dropped(s, "state", response, e);
      return;
    }
    s.known.putAll(props);
    LOG.debug("state reported [device: {}, properties: {}]", s.device.id(), props.keySet());
    safely(() -> sink.stateReported(new StateReport(s.device.id(), props, Instant.now(), false)));
  }

  private void eventNotified(Session s, Response response, boolean first) {
    if (first || !response.isSuccess()) {
      return; // the registration's first answer is the latest event: the past, not news
    }
    deviceAnswered(s);
    Optional<DeviceEvent> event;
    try {
      event = s.convention.decodeEvent(s.device.id(), payload(response), response.getOptions().getContentFormat(),
          Instant.now());
    } catch (MalformedPayloadException e) {
      dropped(s, "event", response, e);
      return;
    }
    event.ifPresent(e -> {
      LOG.debug("event received [device: {}, event: {}]", e.deviceId(), e.name());
      safely(() -> sink.eventEmitted(e));
    });
  }

  private void dropped(Session s, String what, Response response, MalformedPayloadException e) {
    long n = malformed.incrementAndGet();
    LOG.warn("malformed {} payload dropped [device: {}, contentFormat: {}, bytes: {}, reason: {}, dropped: {}]", what,
        s.device.id(), response.getOptions().getContentFormat(), payload(response).length, e.getMessage(), n);
  }

  private static byte[] payload(Response r) {
    return r.getPayload() == null ? new byte[0] : r.getPayload();
  }

  private void deviceAnswered(Session s) {
    if (!sessions.containsKey(s.device.id())) {
      return;
    }
    if (s.state != null) {
      s.state.nudge();
    }
    if (s.events != null) {
      s.events.nudge();
    }
    if (!Boolean.TRUE.equals(s.online)) {
      s.online = true;
      LOG.debug("availability [device: {}, online: true]", s.device.id());
      safely(() -> sink.availabilityChanged(s.device.id(), true, null));
    }
  }

  private void deviceLost(Session s, String reason) {
    if (!sessions.containsKey(s.device.id()) || Boolean.FALSE.equals(s.online)) {
      return;
    }
    s.online = false;
    LOG.debug("availability [device: {}, online: false, reason: {}]", s.device.id(), reason);
    safely(() -> sink.availabilityChanged(s.device.id(), false, reason));
  }

  private static URI deviceUri(DeviceDefinition device) {
    String u = CoapBinding.of(device).uri();
    if (u == null) {
      throw new IllegalArgumentException("a CoAP device needs binding.uri");
    }
    URI uri = URI.create(u);
    if (!("coap".equals(uri.getScheme()) || "coaps".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("binding.uri must be coap://host:port or coaps://host:port");
    }
    return uri;
  }

  private void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.error("device sink failed", e);
    }
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    return ContextCalls.onContext(context, action);
  }

  @Override
  public String toString() {
    return "CoapDeviceAdapter[" + options.bindHost() + ", devices=" + sessions.size() + "]";
  }

  /** An attached device: its definition, convention, address, observations and last known state. */
  private static final class Session {
    final DeviceDefinition device;
    final CoapConvention convention;
    final InetSocketAddress address;
    final boolean secure;
    final Map<String, Object> known = new LinkedHashMap<>();
    Observation state;
    Observation events;
    Boolean online;

    Session(DeviceDefinition device, CoapConvention convention, InetSocketAddress address, boolean secure) {
      this.device = device;
      this.convention = convention;
      this.address = address;
      this.secure = secure;
    }

    void close() {
      if (state != null) {
        state.close();
      }
      if (events != null) {
        events.close();
      }
    }
  }

  static List<String> threadPrefixes() {
    return List.of(CaliforniumClient.THREAD_PREFIX);
  }
}
