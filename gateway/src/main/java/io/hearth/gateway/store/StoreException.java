package io.hearth.gateway.store;

/**
 * A store operation failed (corrupt file, unreadable row, newer schema...). The message is one line
 * and names the database file. When the cause is the disk or the file system rather than the data
 * (full disk, I/O error, store closed), it is the subclass {@link StoreUnavailableException}: the
 * same call may succeed later.
 */
public sealed class StoreException extends RuntimeException permits StoreUnavailableException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
