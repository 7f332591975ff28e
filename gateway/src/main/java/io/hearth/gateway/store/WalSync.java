package io.hearth.gateway.store;

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
 * <p>Thread-safe: the store thread records commits and syncs before answering ({@code full}, or a
 * write that must not be lost), the periodic sync runs on another thread; one sync at a time.
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
  private final Syncer syncer;
  private final CommitStats stats;
  private final AtomicLong committed = new AtomicLong();
  private final Object syncLock = new Object();
  private volatile long synced;

  WalSync(Path dbFile, Syncer syncer, CommitStats stats) {
    this.wal = dbFile.resolveSibling(dbFile.getFileName() + "-wal");
    this.syncer = syncer;
    this.stats = stats;
  }

  /** A transaction that wrote something committed (store thread). */
  void committed() {
    committed.incrementAndGet();
    stats.committed();
  }

  /** Whether a commit is not yet covered by a sync. */
  boolean unsynced() {
    return synced < committed.get();
  }

  /**
   * Syncs the log if a commit is not yet covered; returns whether it synced. A sync that runs
   * meanwhile on another thread is waited for, and spares this one if it covered every commit.
   */
  boolean sync() throws IOException {
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
}
