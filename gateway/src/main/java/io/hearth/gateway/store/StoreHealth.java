package io.hearth.gateway.store;

import io.hearth.gateway.store.StoreUnavailableException.Reason;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * What the store can do right now (docs/storage.md, "When the disk is full").
 *
 * @param status {@link Status#UP}, {@link Status#DEGRADED} or {@link Status#DOWN}
 * @param reason why it is not up; {@code null} when up
 * @param detail the one-line message of the last failure; {@code null} when up
 * @param since  when the store entered this status
 */
public record StoreHealth(Status status, Reason reason, String detail, Instant since) {

  public enum Status {
    /** Reads and writes work. */
    UP,
    /** The store is open and reads work, but the last write failed (e.g. the disk is full). */
    DEGRADED,
    /** The store is not usable: closed, or its file cannot be opened again. */
    DOWN
  }

  public StoreHealth {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(since, "since");
    if ((status == Status.UP) != (reason == null)) {
      throw new IllegalArgumentException("a reason is required unless up, and only then: " + status + ", " + reason);
    }
  }

  public static StoreHealth up(Instant since) {
    return new StoreHealth(Status.UP, null, null, since);
  }

  public static StoreHealth degraded(Reason reason, String detail, Instant since) {
    return new StoreHealth(Status.DEGRADED, Objects.requireNonNull(reason, "reason"), detail, since);
  }

  public static StoreHealth down(Reason reason, String detail, Instant since) {
    return new StoreHealth(Status.DOWN, Objects.requireNonNull(reason, "reason"), detail, since);
  }

  public boolean isUp() {
    return status == Status.UP;
  }

  /** What a health report shows: {@code up}, {@code degraded (disk full)}, {@code down (closed)}... */
  public String summary() {
    return isUp() ? "up" : status.name().toLowerCase(Locale.ROOT) + " (" + reason.label() + ")";
  }
}
