package io.hearth.adapter.coap;

import java.util.Objects;
import java.util.concurrent.Executor;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Response;

/**
 * Californium's callbacks for one request, handed to the adapter's context through its one
 * executor ({@link io.hearth.adapter.ContextCalls#executor}): subclasses override the hooks below
 * ({@link #responded}, {@link #timedOut}, ...), which always run on the context and never see a
 * Californium thread. Only {@link #onReadyToSend()} stays on Californium's thread (it must act
 * before the response can arrive); an override must not touch adapter state.
 */
abstract class OnContextObserver extends MessageObserverAdapter {
  private final Executor executor;

  OnContextObserver(Executor context) {
    this.executor = Objects.requireNonNull(context, "context");
  }

  @Override
  public final void onSent(boolean retransmission) {
    if (!retransmission) {
      executor.execute(this::sent);
    }
  }

  @Override
  public final void onResponse(Response response) {
    executor.execute(() -> responded(response));
  }

  @Override
  public final void onReject() {
    executor.execute(this::rejected);
  }

  @Override
  public final void onTimeout() {
    executor.execute(this::timedOut);
  }

  @Override
  public final void onSendError(Throwable error) {
    executor.execute(() -> sendFailed(error));
  }

  @Override
  public final void onCancel() {
    executor.execute(this::cancelled);
  }

  /** The request left the gateway (first transmission). On the context. */
  void sent() {}

  /** A response arrived. On the context. */
  void responded(Response response) {}

  /** The device reset the request (RST). On the context. */
  void rejected() {}

  /** No answer within the retransmission span. On the context. */
  void timedOut() {}

  /** The request could not be sent. On the context. */
  void sendFailed(Throwable error) {}

  /** The request was cancelled. On the context. */
  void cancelled() {}
}
