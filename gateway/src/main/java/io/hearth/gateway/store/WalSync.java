package io.hearth.gateway.store;

import io.hearth.gateway.store.StoreUnavailableException.Reason;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Syncs the write-ahead log ({@code hearth.db-wal}) to the disk, covering every commit made before
 * the sync began (docs/storage.md#durability). In WAL mode with {@code synchronous=NORMAL} a commit
 * is written to the operating system but not synced; SQLite itself syncs the log only when it
 * checkpoints. An {@code fdatasync} of the log file (through a descriptor of our own: a sync applies
 * to the file, whatever descriptor wrote it) makes every commit in it survive a power cut; this is
 * what {@code synchronous=FULL} does after each commit. SQLite holds no lock on the log file, so
 * opening and closing it here releases none of SQLite's locks.
 *
 * <p>Thread-safe: the store thread records commits and syncs before answering (level {@code full},
 * or a write that must not be lost), the periodic sync runs on another thread; one sync at a time.
 */
final class WalSync {
  /** How a sync reaches the disk; tests count or hold it. */
  @FunctionalInterface
  interface Syncer {
    void sync(Path wal) throws IOException;
  }

  /** {@code fdatasync} of the log; nothing to do if there is no log (closed: checkpointed and synced). */
  static final Syncer FDATASYNC = wal -> {
    try (FileChannel channel = FileChannel.open(wal, StandardOpenOption.READ)) {
      channel.force(false);
    } catch (NoSuchFileException e) {
      // no log: nothing committed since the last checkpoint of a closed connection
    }
  };

  private final Path wal;
  private final Durability.Level level;
  private final Syncer syncer;
  private final StoreHealthTracker health;
  private final CommitStats stats = new CommitStats();
  private final AtomicLong committed = new AtomicLong();
  private final Object syncLock = new Object();
  private volatile long synced;

  WalSync(Path dbFile, Durability.Level level, Syncer syncer, StoreHealthTracker health) {
    this.wal = dbFile.resolveSibling(dbFile.getFileName() + "-wal");
    this.level = level;
    this.syncer = syncer;
    this.health = health;
  }

  CommitStats stats() {
    return stats;
  }

  /**
   * A transaction that wrote committed (store thread): synced now if {@code mustSync} or at level
   * {@code full}. Returns whether it is left for the periodic sync.
   *
   * @throws StoreUnavailableException if the sync failed (the health turns degraded)
   */
  boolean committed(boolean mustSync, String op) {
    committed.incrementAndGet();
    stats.committed();
    if (!mustSync && level != Durability.Level.FULL) {
      return true;
    }
    try {
      sync();
      return false;
    } catch (IOException e) {
      StoreUnavailableException down = unavailable(op, e);
      health.failed(down);
      throw down;
    }
  }

  /**
   * The periodic sync (any thread). Returns whether it synced.
   *
   * @throws StoreUnavailableException if the sync failed
   */
  boolean syncNow() {
    try {
      return sync();
    } catch (IOException e) {
      throw unavailable("sync", e);
    }
  }

  /** Whether a commit is not yet covered by a sync. */
  boolean unsynced() {
    return synced < committed.get();
  }

  /**
   * Syncs the log if a commit is not yet covered; returns whether it synced. A sync that runs
   * meanwhile on another thread is waited for, and spares this one if it covered every commit.
   */
  private boolean sync() throws IOException {
    synchronized (syncLock) {
      long upTo = committed.get();
      if (synced >= upTo) {
        return false;
      }
      syncer.sync(wal);
      synced = upTo;
      stats.synced();
      return true;
    }
  }

  private StoreUnavailableException unavailable(String op, IOException e) {
    return new StoreUnavailableException(Reason.IO_ERROR,
        "store " + op + " not synced [file: " + wal + "]: " + SqliteErrors.describe(e), e);
  }
}
