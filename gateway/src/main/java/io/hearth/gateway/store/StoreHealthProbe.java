package io.hearth.gateway.store;

import io.hearth.gateway.store.StoreUnavailableException.Reason;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While the store is not up (degraded after a failed write, or down because its file could not be
 * opened again) and not closed, tries a small write ({@link MetaStore#probe()}) every
 * {@code data.healthProbeIntervalMs}, so {@code /health} shows it {@code up} again within that
 * interval once space is back, without waiting for the next write of a quiet home
 * (docs/storage.md#when-the-disk-is-full). One probe at a time; nothing while up. The timer runs on
 * the caller's context, the write on the store thread.
 */
public final class StoreHealthProbe {
  private static final Logger LOG = LoggerFactory.getLogger(StoreHealthProbe.class);

  private final Vertx vertx;
  private final AsyncStore store;
  private final long intervalMs;
  private long timerId = -1;
  private boolean probing;
  private volatile long probes;

  public StoreHealthProbe(Vertx vertx, AsyncStore store, long intervalMs) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    if (intervalMs < 1) {
      throw new IllegalArgumentException("intervalMs must be positive: " + intervalMs);
    }
    this.intervalMs = intervalMs;
  }

  public Future<Void> start() {
    if (timerId < 0) {
      timerId = vertx.setPeriodic(intervalMs, t -> check());
    }
    return Future.succeededFuture();
  }

  public Future<Void> stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    return Future.succeededFuture();
  }

  /** How many probes were written (or tried) since start. */
  public long probes() {
    return probes;
  }

  private void check() {
    StoreHealth health = store.health();
    if (probing || health.isUp() || health.reason() == Reason.CLOSED) {
      return;
    }
    probing = true;
    probes++;
    store.run(s -> s.meta().probe()).onComplete(r -> {
      probing = false;
      if (r.failed()) { // the store's health keeps the reason; its tracker logs the change when it recovers
        LOG.debug("store health probe failed [reason: {}]", r.cause().getMessage());
      }
    });
  }
}
