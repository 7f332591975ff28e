package io.hearth.sim.coap;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * An observable resource whose representation is a JSON or CBOR document: the device's state or its
 * latest event. {@code GET} (and every notification) answers 2.05 with content-format 50, or 60 when
 * the request carries Accept 60; any other Accept gets 4.06. Notifications are confirmable, so a
 * gateway that went away is noticed and its relation dropped. Also plays two test aids: raw bytes for
 * the next notification ({@link #injectRaw}) and a 5.03 good-bye that ends every observation
 * ({@link #sayGoodbye}). {@code handleGET} runs on Californium's threads and only reads immutable
 * snapshots.
 */
abstract class ObservedResource extends CoapResource {

  /** Raw bytes for the next {@code remaining} observe responses. */
  private record Raw(byte[] payload, int contentFormat, AtomicInteger remaining) { }

  private final Supplier<Object> body;
  private final LongSupplier maxAgeSeconds;
  private final AtomicReference<Raw> raw = new AtomicReference<>();
  private volatile Goodbye goodbye;

  /**
   * @param body          the document to answer, or null for an empty 2.05 (nothing to show yet)
   * @param maxAgeSeconds Max-Age of each answer in seconds, or 0 to leave the CoAP default (60 s)
   */
  ObservedResource(String name, String resourceType, Supplier<Object> body, LongSupplier maxAgeSeconds) {
    super(name);
    this.body = Objects.requireNonNull(body, "body");
    this.maxAgeSeconds = Objects.requireNonNull(maxAgeSeconds, "maxAgeSeconds");
    setObservable(true);
    setObserveType(CoAP.Type.CON);
    getAttributes().addResourceType(resourceType);
    getAttributes().addContentTypes(Payloads.JSON, Payloads.CBOR);
    getAttributes().setObservable();
  }

  @Override
  public void handleGET(CoapExchange exchange) {
    Goodbye bye = goodbye;
    if (bye != null) {
      Response r = new Response(ResponseCode.SERVICE_UNAVAILABLE);
      r.setPayload("device going offline");
      r.getOptions().setContentFormat(MediaTypeRegistry.TEXT_PLAIN);
      r.addMessageObserver(bye);
      exchange.respond(r);
      return;
    }
    int accept = exchange.getRequestOptions().getAccept();
    if (accept != MediaTypeRegistry.UNDEFINED && !Payloads.supported(accept)) {
      exchange.respond(ResponseCode.NOT_ACCEPTABLE, "accept 50 (JSON) or 60 (CBOR)");
      return;
    }
    Response r = new Response(ResponseCode.CONTENT);
    Raw injected = exchange.getRequestOptions().hasObserve() ? takeRaw() : null;
    if (injected != null) {
      r.setPayload(injected.payload());
      r.getOptions().setContentFormat(injected.contentFormat());
    } else {
      Object document = body.get();
      if (document != null) {
        int format = accept == Payloads.CBOR ? Payloads.CBOR : Payloads.JSON;
        r.setPayload(Payloads.encode(document, format));
        r.getOptions().setContentFormat(format);
      }
    }
    long maxAge = maxAgeSeconds.getAsLong();
    if (maxAge > 0) {
      r.getOptions().setMaxAge(maxAge);
    }
    exchange.respond(r);
  }

  private Raw takeRaw() {
    Raw r = raw.get();
    if (r == null) {
      return null;
    }
    int left = r.remaining().getAndDecrement();
    if (left <= 1) {
      raw.compareAndSet(r, null);
    }
    return left >= 1 ? r : null;
  }

  /** The next notification to each current observer (at least one) carries these bytes instead. */
  void injectRaw(byte[] payload, int contentFormat) {
    raw.set(new Raw(payload.clone(), contentFormat, new AtomicInteger(Math.max(1, getObserverCount()))));
    changed();
  }

  /**
   * Sends every observer a 5.03 notification, which ends its observation; completes once each was
   * handed to the socket (or failed). The caller bounds the wait.
   */
  Future<Void> sayGoodbye() {
    int observers = getObserverCount();
    if (observers == 0) {
      return Future.succeededFuture();
    }
    Goodbye bye = new Goodbye(observers);
    goodbye = bye;
    changed();
    return bye.done.future();
  }

  /** Counts good-bye notifications out. */
  private static final class Goodbye extends MessageObserverAdapter {
    private final AtomicInteger pending;
    private final Promise<Void> done = Promise.promise();

    Goodbye(int observers) {
      this.pending = new AtomicInteger(observers);
    }

    private void one() {
      if (pending.decrementAndGet() <= 0) {
        done.tryComplete();
      }
    }

    @Override
    public void onSent(boolean retransmission) {
      if (!retransmission) {
        one();
      }
    }

    @Override
    public void onSendError(Throwable error) {
      one();
    }

    @Override
    public void onCancel() {
      one();
    }
  }
}
