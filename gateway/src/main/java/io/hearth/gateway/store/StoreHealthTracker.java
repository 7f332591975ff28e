package io.hearth.gateway.store;

import io.hearth.gateway.store.StoreUnavailableException.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StoreHealth} of {@link SqliteDb}: changed by the store thread as calls fail and
 * succeed, read from any thread (one volatile immutable value). Logs each change of status once.
 */
final class StoreHealthTracker {
  private static final Logger LOG = LoggerFactory.getLogger(StoreHealthTracker.class);

  private final Clock clock;
  private volatile StoreHealth current;

  StoreHealthTracker(Clock clock) {
    this.clock = clock;
    this.current = StoreHealth.down(Reason.CLOSED, "not open yet", clock.instant());
  }

  StoreHealth get() {
    return current;
  }

  /** The store was opened. */
  void opened() {
    current = StoreHealth.up(clock.instant());
  }

  /** A write reached the disk: the store is up (again). */
  void wrote() {
    StoreHealth was = current;
    if (!was.isUp()) {
      Instant now = clock.instant();
      current = StoreHealth.up(now);
      LOG.info("store writes recovered [was: {}, for: {}]", was.summary(), Duration.between(was.since(), now));
    }
  }

  /** A call failed for a reason outside the data: degraded since the first such failure. */
  void failed(StoreUnavailableException e) {
    StoreHealth was = current;
    Instant since = was.status() == StoreHealth.Status.DEGRADED ? was.since() : clock.instant();
    current = StoreHealth.degraded(e.reason(), e.getMessage(), since);
    if (was.isUp()) {
      LOG.warn("store degraded, writes fail until the cause is gone [reason: {}, detail: {}]", e.reason().label(),
          e.getMessage());
    } else {
      LOG.debug("store call failed again [reason: {}]", e.getMessage());
    }
  }

  /** The connection failed and cannot be opened again for now. */
  void lost(StoreUnavailableException e) {
    StoreHealth was = current;
    Instant since = was.status() == StoreHealth.Status.DOWN ? was.since() : clock.instant();
    current = StoreHealth.down(e.reason(), e.getMessage(), since);
    if (was.status() != StoreHealth.Status.DOWN) {
      LOG.error("store down, its file cannot be opened again [reason: {}]", e.getMessage());
    }
  }

  /** The connection was opened again after a failure; up once a write succeeds. */
  void reopened() {
    StoreHealth was = current;
    if (was.status() == StoreHealth.Status.DOWN) {
      current = StoreHealth.degraded(was.reason(), was.detail(), clock.instant());
    }
  }

  /** The store was closed. */
  void closed() {
    current = StoreHealth.down(Reason.CLOSED, "store closed", clock.instant());
  }
}
