package io.hearth.gateway.store;

/**
 * A store operation failed (I/O error, corrupt file, full disk...). The message is one line and
 * names the database file when it is about opening it.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
