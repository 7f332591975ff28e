package io.hearth.gateway.history;

import io.hearth.gateway.config.HistoryConfig;
import io.hearth.gateway.store.HistoryPoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import io.hearth.device.PropertyType;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The SD-card friendly write policy of history (docs/history.md#writes), between the device states
 * and the state writer (which batches what passes into one transaction a second):
 * <ul>
 *   <li>booleans and enums: every change, at its time (they change rarely, and time in state needs
 *       each one);</li>
 *   <li>numbers: at most one point per property per {@code history.writeIntervalMs}: a change arriving sooner
 *       waits (only the latest waiting one is kept) and is written, with its own time, by
 *       {@link #tick} once the interval since the last write has passed;</li>
 *   <li>a number that moved less than its property's deadband ({@code history.deadbands}) from the
 *       last written point is not written, and drops a change waiting;</li>
 *   <li>other strings are not written.</li>
 * </ul>
 * Thread-safe; never blocks (a short lock).
 */
public final class HistoryRecorder implements Consumer<HistoryPoint> {
  private final long intervalMs;
  private final Map<String, Double> deadbands;
  private final BiFunction<String, String, PropertyType> typeOf;
  private final Consumer<HistoryPoint> sink;
  private final Map<String, Track> tracks = new HashMap<>();

  private static final class Track {
    HistoryPoint written;
    long writtenAtMs; // when it was handed on: its own time, or the tick's for a waiting one
    HistoryPoint waiting;
  }

  /**
   * @param typeOf a device's property's type (null when unknown)
   * @param sink   where points to write go (the state writer)
   */
  public HistoryRecorder(HistoryConfig config, BiFunction<String, String, PropertyType> typeOf,
      Consumer<HistoryPoint> sink) {
    this.intervalMs = config.writeIntervalMs();
    this.deadbands = config.deadbands();
    this.typeOf = Objects.requireNonNull(typeOf, "typeOf");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  @Override
  public void accept(HistoryPoint p) {
    PropertyType type = typeOf.apply(p.deviceId(), p.property());
    if (p.label() != null && type != PropertyType.ENUM) {
      return;
    }
    boolean everyChange = type == PropertyType.BOOL || type == PropertyType.ENUM;
    HistoryPoint write = null;
    synchronized (tracks) {
      Track t = tracks.computeIfAbsent(p.deviceId() + '\u0000' + p.property(), k -> new Track());
      if (t.written == null) {
        write = p;
      } else if (same(t.written, p)) {
        t.waiting = null; // back where the last point said: nothing to add
      } else if (everyChange || p.ts().toEpochMilli() - t.writtenAtMs >= intervalMs) {
        write = p;
      } else {
        t.waiting = p;
      }
      if (write != null) {
        t.written = write;
        t.writtenAtMs = write.ts().toEpochMilli();
        t.waiting = null;
      }
    }
    if (write != null) {
      sink.accept(write);
    }
  }

  /** Writes the waiting changes whose interval has passed at {@code now}. */
  public void tick(Instant now) {
    List<HistoryPoint> due = new ArrayList<>();
    synchronized (tracks) {
      for (Track t : tracks.values()) {
        if (t.waiting != null && now.toEpochMilli() - t.writtenAtMs >= intervalMs) {
          due.add(t.waiting);
          t.written = t.waiting;
          t.writtenAtMs = now.toEpochMilli();
          t.waiting = null;
        }
      }
    }
    due.forEach(sink);
  }

  /** Writes every waiting change now (at shutdown). */
  public void flush() {
    tick(Instant.ofEpochMilli(Long.MAX_VALUE));
  }

  /** Forgets a removed device. */
  public void forget(String deviceId) {
    String prefix = deviceId + '\u0000';
    synchronized (tracks) {
      tracks.keySet().removeIf(k -> k.startsWith(prefix));
    }
  }

  private boolean same(HistoryPoint written, HistoryPoint p) {
    if (p.label() != null || written.label() != null) {
      return Objects.equals(p.label(), written.label());
    }
    double band = deadbands.getOrDefault(p.property(), 0.0);
    double moved = Math.abs(p.value() - written.value());
    return band > 0 ? moved < band : moved == 0;
  }
}
