package io.hearth.gateway.store;

import java.util.Objects;

/**
 * The store cannot serve the call right now: the disk is full, the file system fails, another
 * process holds the database, or the store is closed. Nothing was written by the failed call; the
 * store recovers on its own once the cause is gone (docs/storage.md, "When the disk is full"), so
 * an edge answers "try again later" (HTTP 503 {@code STORE_UNAVAILABLE}) rather than an internal
 * error.
 */
public final class StoreUnavailableException extends StoreException {
  private static final long serialVersionUID = 1L;

  /** Why the store is unavailable. */
  public enum Reason {
    /** No space left on the device (SQLite's {@code SQLITE_FULL}). */
    DISK_FULL("disk full"),
    /** The file system failed a read or write, or the file became unreadable or read-only. */
    IO_ERROR("I/O error"),
    /** Another process holds a lock on the database longer than the busy timeout. */
    LOCKED("locked"),
    /** The store is not open (not yet, or closed at shutdown). */
    CLOSED("closed");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    /** A few words for people, e.g. {@code disk full}. */
    public String label() {
      return label;
    }
  }

  private final Reason reason;

  /** What a client is told (REST and WebSocket alike): no internals, and that it may try again. */
  public String detailForClients() {
    return "the gateway cannot write to its store right now (" + reason.label() + "); nothing was done, try again later";
  }

  public StoreUnavailableException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public StoreUnavailableException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
