package io.hearth.gateway.backup;

/** A backup archive that cannot be used: unreadable, not Hearth's, damaged, or too new (exit status 1). */
public final class ArchiveException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ArchiveException(String message) {
    super(message);
  }

  public ArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
