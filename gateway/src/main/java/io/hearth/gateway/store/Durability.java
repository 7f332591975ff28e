package io.hearth.gateway.store;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How the store trades the disk syncs of its writes against what a power cut may lose
 * (docs/storage.md#durability); config keys {@code data.durability}, {@code data.syncIntervalMs}
 * and {@code data.maxBatch} (docs/configuration.md).
 *
 * <p>Both levels are crash-safe: a write reaches the operating system before its call completes,
 * so a crash of the gateway process (kill -9) loses nothing that was answered. Writes queued while
 * the store thread was busy commit together, in one transaction (group commit, at most
 * {@code maxBatch} calls).
 *
 * @param level        {@link Level#NORMAL}: a power cut loses at most the last {@code syncInterval}
 *                     of writes, except registry, account and meta writes, synced before they
 *                     complete; {@link Level#FULL}: every call that wrote completes only after a
 *                     sync, one sync per group
 * @param syncInterval {@code NORMAL}: how long a write may wait for its sync (the power-cut window)
 * @param maxBatch     the most calls one group commit takes
 */
public record Durability(Level level, Duration syncInterval, int maxBatch) {
  public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMillis(200);
  public static final int DEFAULT_MAX_BATCH = 256;
  public static final Durability DEFAULTS = new Durability(Level.NORMAL, DEFAULT_SYNC_INTERVAL, DEFAULT_MAX_BATCH);

  /** The {@code data.durability} levels. */
  public enum Level {
    NORMAL, FULL;

    /** {@code normal} or {@code full}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static Level fromWire(String name) {
      for (Level l : values()) {
        if (l.wireName().equals(name)) {
          return l;
        }
      }
      throw new IllegalArgumentException("must be normal or full, not '" + name + "'");
    }
  }

  public Durability {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(syncInterval, "syncInterval");
    if (syncInterval.isNegative() || syncInterval.isZero()) {
      throw new IllegalArgumentException("syncInterval must be positive: " + syncInterval);
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be ≥ 1: " + maxBatch);
    }
  }

  /** The defaults at another level. */
  public static Durability of(Level level) {
    return new Durability(level, DEFAULT_SYNC_INTERVAL, DEFAULT_MAX_BATCH);
  }
}
