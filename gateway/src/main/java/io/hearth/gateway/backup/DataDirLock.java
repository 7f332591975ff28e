package io.hearth.gateway.backup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock a running gateway holds on {@code <data.dir>/gateway.lock} for as long as it runs
 * (docs/backup.md#restore): {@code hearth restore} refuses to replace a data dir whose lock is
 * held, and a second gateway refuses to start on it. The operating system drops the lock when
 * the process ends, however it ends, so a crash never leaves a stale lock behind.
 */
public final class DataDirLock implements AutoCloseable {
  public static final String FILE = "gateway.lock";
  /**
   * Locks this JVM holds. A POSIX lock belongs to the process, and closing any channel to the file
   * releases it: a check from inside the same JVM must never open the file of a lock it holds.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final FileChannel channel;

  private DataDirLock(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /**
   * Takes the lock of {@code dataDir} (which must exist).
   *
   * @throws IllegalStateException if another process (or this one) holds it
   * @throws IOException           if the lock file cannot be written
   */
  public static DataDirLock acquire(Path dataDir) throws IOException {
    Path file = key(dataDir);
    if (!HELD.add(file)) {
      throw new IllegalStateException(inUse(dataDir));
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new IllegalStateException(inUse(dataDir));
      }
      return new DataDirLock(file, channel);
    } catch (IOException | RuntimeException e) {
      HELD.remove(file);
      if (channel != null) {
        channel.close();
      }
      throw e;
    }
  }

  /** Whether a gateway (this process or another) holds the lock of {@code dataDir} now. */
  public static boolean isHeld(Path dataDir) throws IOException {
    Path file = key(dataDir);
    if (HELD.contains(file)) {
      return true;
    }
    if (!Files.exists(file)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    }
  }

  /** The message naming the data dir in use. */
  static String inUse(Path dataDir) {
    return "data dir " + dataDir + " is in use by a running Hearth gateway (it holds " + dataDir.resolve(FILE)
        + "); stop it first";
  }

  @Override
  public void close() {
    try {
      channel.close(); // releases the lock
    } catch (IOException e) {
      // the lock goes with the channel in any case
    } finally {
      HELD.remove(file);
    }
  }

  private static Path key(Path dataDir) {
    return dataDir.toAbsolutePath().normalize().resolve(FILE);
  }
}
