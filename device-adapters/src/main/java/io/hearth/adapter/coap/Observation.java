package io.hearth.adapter.coap;

import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.coap.Token;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RFC 7641 observation of one resource of one device, kept alive: registered with a
 * confirmable {@code GET} + {@code Observe: 0}, re-registered when a notification's Max-Age has
 * lapsed (plus a grace) without a newer one, and retried with doubling delays after a failure: up to
 * {@link CoapAdapterOptions#retryMax()} when the device did not answer, up to
 * {@link CoapAdapterOptions#refusedRetryMax()} when it answered with an error (4.04: a device
 * without that resource), and then not retried early when the device answers something else
 * (docs/conventions-coap.md, "Common rules"). Stale notifications (RFC 7641 §3.4 ordering) are dropped. Every Californium callback reaches the
 * adapter's context through its one executor; all methods run on that context.
 */
final class Observation {
  private static final Logger LOG = LoggerFactory.getLogger(Observation.class);
  private static final long SEQ_WINDOW = 1L << 23;
  private static final long SEQ_EXPIRY_NANOS = 128_000_000_000L;

  /** What the observation reports, on the context. */
  interface Listener {
    /** A response or notification arrived; {@code first} for the first one of a registration. */
    void notified(Response response, boolean first);

    /**
     * The registration failed (no answer within the retransmission span, or not sendable).
     *
     * @param wasEstablished true if an earlier registration had worked (the observation was lost)
     */
    void failed(boolean wasEstablished, String cause);
  }

  private final Vertx vertx;
  private final Executor onContext;
  private final Supplier<Endpoint> endpoint;
  private final CaliforniumClient client;
  private final InetSocketAddress destination;
  private final List<String> path;
  private final CoapAdapterOptions options;
  private final Listener listener;
  private final String deviceId;

  private Request current;
  private long generation;
  private boolean established;
  private boolean everEstablished;
  private boolean refused;
  private boolean closed;
  private Integer lastSeq;
  private long lastSeqNanos;
  private long silenceTimer = -1;
  private long retryTimer = -1;
  private long retryDelayMs;

  Observation(Vertx vertx, Executor onContext, CaliforniumClient client, Supplier<Endpoint> endpoint,
      InetSocketAddress destination, List<String> path, CoapAdapterOptions options, String deviceId,
      Listener listener) {
    this.vertx = Objects.requireNonNull(vertx);
    this.onContext = Objects.requireNonNull(onContext);
    this.client = Objects.requireNonNull(client);
    this.endpoint = Objects.requireNonNull(endpoint);
    this.destination = Objects.requireNonNull(destination);
    this.path = List.copyOf(path);
    this.options = Objects.requireNonNull(options);
    this.deviceId = Objects.requireNonNull(deviceId);
    this.listener = Objects.requireNonNull(listener);
    this.retryDelayMs = options.retryMin().toMillis();
  }

  /** Registers (again): the current registration, if any, is cancelled first. */
  void register() {
    if (closed) {
      return;
    }
    cancelTimers();
    cancelCurrent();
    Endpoint ep = endpoint.get();
    if (ep == null) {
      return;
    }
    long gen = ++generation;
    established = false;
    lastSeq = null;
    Request request = Request.newGet();
    request.setConfirmable(true);
    request.setObserve();
    path.forEach(request.getOptions()::addUriPath);
    request.setDestinationContext(new AddressEndpointContext(destination));
    request.addMessageObserver(new OnContextObserver(onContext) {
      @Override
      public void onReadyToSend() {
        // the token is set now; later notifications reach the endpoint's listener, routed by it (on
        // the context too)
        client.onNotification(request.getToken(), n -> Observation.this.responded(gen, n));
      }

      @Override
      void responded(Response response) {
        Observation.this.responded(gen, response);
      }

      @Override
      void timedOut() {
        lost(gen, "no answer within the retransmission span");
      }

      @Override
      void sendFailed(Throwable error) {
        lost(gen, "send failed: " + error.getMessage());
      }

      @Override
      void rejected() {
        lost(gen, "reset by the device");
      }
    });
    current = request;
    LOG.debug("observe registering [device: {}, path: /{}]", deviceId, String.join("/", path));
    ep.sendRequest(request);
  }

  /**
   * The device answered something else: if this observation is waiting to retry after getting no
   * answer, retry now. One the device refused waits its turn.
   */
  void nudge() {
    if (!closed && !established && !refused && retryTimer != -1) {
      LOG.debug("device answered: observation retried at once [device: {}, path: /{}]", deviceId,
          String.join("/", path));
      register();
    }
  }

  /** True while the current registration has had a response. */
  boolean established() {
    return established;
  }

  /** Stops for good: cancels the registration (the next notification is answered RST) and timers. */
  void close() {
    closed = true;
    cancelTimers();
    cancelCurrent();
  }

  private void responded(long gen, Response response) {
    if (closed || gen != generation) {
      return;
    }
    boolean first = !established;
    Integer seq = response.getOptions().hasObserve() ? response.getOptions().getObserve() : null;
    long now = System.nanoTime();
    if (!first && seq != null && lastSeq != null && !fresh(lastSeq, seq, now - lastSeqNanos)) {
      LOG.debug("stale notification dropped [device: {}, seq: {}, last: {}]", deviceId, seq, lastSeq);
      return;
    }
    if (seq != null) {
      lastSeq = seq;
      lastSeqNanos = now;
    }
    cancelTimers();
    if (response.isSuccess()) {
      established = true;
      everEstablished = true;
      refused = false;
      retryDelayMs = options.retryMin().toMillis();
      long maxAgeMs = response.getOptions().getMaxAge() * 1000L;
      // Max-Age lapsed without a newer notification (or the device would not observe): register again
      silenceTimer = vertx.setTimer(Math.max(1, maxAgeMs + options.observeGrace().toMillis()), t -> {
        silenceTimer = -1;
        LOG.debug("observation silent past Max-Age: re-registering [device: {}, path: /{}]", deviceId,
            String.join("/", path));
        register();
      });
    } else {
      // an error response ends the observation: the device has no such resource (4.04) or will not
      // let it be observed; ask again later, backing off further each time
      established = false;
      if (!refused) {
        refused = true;
        LOG.info("device refused the observation: retried with backoff [device: {}, path: /{}, code: {}, "
            + "retryMax: {} ms]", deviceId, String.join("/", path), response.getCode(),
            options.refusedRetryMax().toMillis());
      }
      scheduleRetry(options.refusedRetryMax().toMillis());
    }
    listener.notified(response, first);
  }

  private void lost(long gen, String cause) {
    if (closed || gen != generation) {
      return;
    }
    boolean wasEstablished = everEstablished;
    everEstablished = false;
    established = false;
    refused = false;
    current = null;
    LOG.debug("observation failed [device: {}, path: /{}, cause: {}, retryIn: {} ms]", deviceId,
        String.join("/", path), cause, retryDelayMs);
    retryDelayMs = Math.min(retryDelayMs, options.retryMax().toMillis());
    scheduleRetry(options.retryMax().toMillis());
    listener.failed(wasEstablished, cause);
  }

  /** Retries after the current delay; the next delay doubles, up to {@code maxMs}. */
  private void scheduleRetry(long maxMs) {
    cancelTimers();
    long delay = retryDelayMs;
    retryDelayMs = Math.min(maxMs, retryDelayMs * 2);
    retryTimer = vertx.setTimer(delay, t -> {
      retryTimer = -1;
      register();
    });
  }

  /** RFC 7641 §3.4: is notification {@code v2} newer than {@code v1}? */
  static boolean fresh(long v1, long v2, long elapsedNanos) {
    return (v1 < v2 && v2 - v1 < SEQ_WINDOW) || (v1 > v2 && v1 - v2 > SEQ_WINDOW) || elapsedNanos > SEQ_EXPIRY_NANOS;
  }

  private void cancelTimers() {
    if (silenceTimer != -1) {
      vertx.cancelTimer(silenceTimer);
      silenceTimer = -1;
    }
    if (retryTimer != -1) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
  }

  private void cancelCurrent() {
    Request r = current;
    current = null;
    if (r == null) {
      return;
    }
    r.cancel();
    Token token = r.getToken();
    client.removeNotifications(token);
    Endpoint ep = endpoint.get();
    if (token != null && ep != null) {
      ep.cancelObservation(token);
    }
  }
}
