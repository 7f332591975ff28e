package io.hearth.gateway.events;

import io.hearth.gateway.store.AsyncStore;
import io.hearth.gateway.store.EventStore;
import io.hearth.gateway.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's event sequence and its bounded log of recent events, from which the app's
 * WebSocket replays what a client missed while disconnected.
 *
 * <p><b>Seq.</b> One counter for the whole gateway ({@link EventHub}), never reused, also after a
 * crash: the store holds a durable <i>ceiling</i> ({@value #META_SEQ_CEILING}) that the counter
 * never passes unnoticed; a new block of {@link Limits#seqBlock()} is reserved (one durable write)
 * when half the current one is used. A clean stop writes the last seq as the ceiling, so the next
 * start continues at the next number; after a crash the next start continues after the ceiling.
 *
 * <p><b>Log.</b> Every event is kept in memory (the newest {@link Limits#memoryEvents()}, and
 * always every event not yet on disk) and written to the store in batches at most every
 * {@link Limits#flushInterval()} from the store's worker, never from the event loop. The store
 * keeps the newest {@link Limits#maxEvents()} events no older than {@link Limits#maxAge()}. So a
 * replay is exact whether or not an event reached the disk: older events come from the store,
 * the tail from memory. {@link #heldAfter()} is the watermark: events at or below it are no longer
 * (all) held, and a client resuming from there must resync. After a crash the watermark moves to
 * the restart's first seq (the last second of events may be lost), so every resume across a crash
 * is a resync.
 *
 * <p>Used on the core context only (the hub publishes there).
 */
public final class EventLog implements Consumer<GatewayEvent> {
  /** Meta key: no seq above this value was handed out (durable reservation). */
  public static final String META_SEQ_CEILING = "events.seq_ceiling";
  /** Meta key of older versions: the last seq, persisted every second. */
  static final String LEGACY_META_SEQ = "events.seq";
  /** Gap after an unclean stop of an older version (it persisted the seq every second). */
  static final long LEGACY_UNCLEAN_GAP = 100_000;

  private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);

  /**
   * The log's bounds.
   *
   * @param maxEvents     events kept in the store (the newest)
   * @param maxAge        events older than this are purged
   * @param memoryEvents  newest events also kept in memory (plus every event not yet written)
   * @param flushInterval batch write period
   * @param seqBlock      seq numbers reserved by one durable write
   * @param purgeInterval how often the store is purged
   */
  public record Limits(int maxEvents, Duration maxAge, int memoryEvents, Duration flushInterval, long seqBlock,
      Duration purgeInterval) {
    public static final Limits DEFAULTS = new Limits(100_000, Duration.ofHours(24), 10_000, Duration.ofSeconds(1),
        100_000, Duration.ofMinutes(1));

    public Limits {
      Objects.requireNonNull(maxAge, "maxAge");
      Objects.requireNonNull(flushInterval, "flushInterval");
      Objects.requireNonNull(purgeInterval, "purgeInterval");
      if (maxEvents < 1 || memoryEvents < 1 || seqBlock < 2) {
        throw new IllegalArgumentException("maxEvents, memoryEvents must be ≥ 1 and seqBlock ≥ 2");
      }
    }

    public Limits withMaxEvents(int n) {
      return new Limits(n, maxAge, memoryEvents, flushInterval, seqBlock, purgeInterval);
    }

    public Limits withMemoryEvents(int n) {
      return new Limits(maxEvents, maxAge, n, flushInterval, seqBlock, purgeInterval);
    }

    public Limits withPurgeInterval(Duration d) {
      return new Limits(maxEvents, maxAge, memoryEvents, flushInterval, seqBlock, d);
    }
  }

  private final Vertx vertx;
  private final AsyncStore store;
  private final Clock clock;
  private final Limits limits;
  private final int hardCap;

  private EventHub hub;
  private final ArrayDeque<GatewayEvent> ring = new ArrayDeque<>();
  private List<GatewayEvent> unflushed = new ArrayList<>();
  private long flushedThrough;
  private long heldAfter;
  private long ceiling;
  private boolean reserving;
  private boolean flushing;
  private boolean ceilingWarned;
  private long dropped;
  private long flushTimer = -1;
  private long purgeTimer = -1;

  public EventLog(Vertx vertx, AsyncStore store, Clock clock, Limits limits) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.hardCap = Math.max(limits.memoryEvents() * 4, 10_000);
  }

  /**
   * Reads the seq and the watermark, reserves the first seq block and returns the hub that numbers
   * events from there on (this log listens to it). Call on the core context, once.
   *
   * @param cleanStop whether the previous run stopped cleanly
   */
  public Future<EventHub> open(boolean cleanStop) {
    long block = limits.seqBlock();
    return store.call(s -> {
      long stored = s.meta().get(META_SEQ_CEILING).map(Long::parseLong).orElse(-1L);
      if (stored < 0) {
        long legacy = s.meta().get(LEGACY_META_SEQ).map(Long::parseLong).orElse(0L);
        stored = legacy + (legacy > 0 && !cleanStop ? LEGACY_UNCLEAN_GAP : 0);
      }
      long latest = s.events().latestSeq().orElse(0);
      long start = Math.max(stored, latest);
      long held = s.meta().get(EventStore.META_HELD_AFTER).map(Long::parseLong).orElse(latest == 0 ? start : 0L);
      if (!cleanStop) {
        held = Math.max(held, start); // the last batch may be lost: a resume across a crash resyncs
      }
      s.meta().put(EventStore.META_HELD_AFTER, Long.toString(held));
      s.meta().put(META_SEQ_CEILING, Long.toString(start + block));
      return new long[] {start, held, latest};
    }).map(r -> {
      flushedThrough = r[2];
      heldAfter = r[1];
      ceiling = r[0] + block;
      hub = new EventHub(clock, r[0]);
      hub.addListener(this);
      flushTimer = vertx.setPeriodic(limits.flushInterval().toMillis(), t -> flush());
      purgeTimer = vertx.setPeriodic(limits.purgeInterval().toMillis(), t -> purge());
      LOG.info("event log open [seq: {}, heldAfter: {}, cleanStop: {}]", r[0], r[1], cleanStop);
      return hub;
    });
  }

  /** The hub (after {@link #open}). */
  public EventHub hub() {
    return hub;
  }

  /** The latest seq handed out. */
  public long lastSeq() {
    return hub.lastSeq();
  }

  /** Events at or below this seq are no longer all held: a resume from below it must resync. */
  public long heldAfter() {
    return heldAfter;
  }

  @Override
  public void accept(GatewayEvent e) {
    ring.addLast(e);
    unflushed.add(e);
    if (unflushed.size() > hardCap) { // the store is not keeping up: forget the oldest, resumes from there resync
      GatewayEvent lost = unflushed.remove(0);
      heldAfter = Math.max(heldAfter, lost.seq());
      dropped++;
    }
    trimRing();
    if (!reserving && e.seq() > ceiling - limits.seqBlock() / 2) {
      reserve(e.seq());
    }
    if (e.seq() > ceiling && !ceilingWarned) {
      ceilingWarned = true;
      LOG.error("event seq passed its durable reservation; after a crash now a seq could repeat [seq: {}]", e.seq());
    }
  }

  /**
   * Up to {@code max} events with a seq above {@code after}, oldest first: from memory when it
   * reaches back that far (the future is then already complete), else from the store followed by
   * what memory has right after it. Every event held after {@code after} is in one of the two (an
   * event leaves memory only once it is on disk), but a page may end early: ask again from its
   * last seq until {@link #lastSeq()} is reached. The future completes on the calling (core) context.
   */
  public Future<List<GatewayEvent>> after(long after, int max) {
    List<GatewayEvent> memory = fromMemory(after, max);
    if (memory != null) {
      return Future.succeededFuture(memory);
    }
    return store.call(s -> s.events().after(after, max)).map(page -> {
      List<GatewayEvent> out = new ArrayList<>(page.size());
      page.forEach(e -> out.add(fromStored(e)));
      if (out.size() < max) { // the store has no more: the rest is in memory, unless written meanwhile
        long last = out.isEmpty() ? after : out.get(out.size() - 1).seq();
        List<GatewayEvent> tail = fromMemory(last, max - out.size());
        if (tail != null) {
          out.addAll(tail);
        }
      }
      return out;
    });
  }

  /**
   * From memory; null when memory does not reach back to {@code after}. Memory holds every event
   * above {@code flushedThrough}, so it reaches back when its first event follows {@code after}
   * or when nothing after {@code after} is on disk yet (seq gaps after a crash are not holes).
   */
  private List<GatewayEvent> fromMemory(long after, int max) {
    if (after >= hub.lastSeq() || max < 1) {
      return List.of();
    }
    GatewayEvent first = ring.peekFirst();
    if (first == null || first.seq() > after + 1 && after < flushedThrough) {
      return null;
    }
    List<GatewayEvent> newerFirst = new ArrayList<>();
    for (Iterator<GatewayEvent> it = ring.descendingIterator(); it.hasNext();) {
      GatewayEvent e = it.next();
      if (e.seq() <= after) {
        break;
      }
      newerFirst.add(e);
    }
    Collections.reverse(newerFirst);
    return newerFirst.size() <= max ? newerFirst : new ArrayList<>(newerFirst.subList(0, max));
  }

  /** Stops the timers, writes every event and records the last seq as the ceiling. */
  public Future<Void> close() {
    vertx.cancelTimer(flushTimer);
    vertx.cancelTimer(purgeTimer);
    if (hub == null) {
      return Future.succeededFuture();
    }
    List<GatewayEvent> rest = unflushed;
    unflushed = new ArrayList<>();
    long last = hub.lastSeq();
    return store.run(s -> {
      s.events().append(rest.stream().map(EventLog::toStored).toList());
      s.meta().put(META_SEQ_CEILING, Long.toString(last));
    }).onSuccess(v -> LOG.info("event log closed [seq: {}]", last));
  }

  /** Writes the events buffered since the last write (one write at a time). */
  Future<Void> flush() {
    if (flushing || unflushed.isEmpty()) {
      return Future.succeededFuture();
    }
    flushing = true;
    List<GatewayEvent> batch = unflushed;
    unflushed = new ArrayList<>();
    if (dropped > 0) {
      LOG.warn("events dropped from the log, the store is not keeping up [count: {}]", dropped);
      dropped = 0;
    }
    return store.run(s -> s.events().append(batch.stream().map(EventLog::toStored).toList()))
        .onComplete(r -> {
          flushing = false;
          if (r.succeeded()) {
            flushedThrough = Math.max(flushedThrough, batch.get(batch.size() - 1).seq());
            trimRing();
            LOG.debug("events flushed [count: {}, through: {}]", batch.size(), flushedThrough);
          } else {
            LOG.warn("event log write failed, will retry [reason: {}]", r.cause().getMessage());
            batch.addAll(unflushed);
            unflushed = batch;
          }
        });
  }

  private void purge() {
    store.call(s -> s.events().purge(clock.instant().minus(limits.maxAge()), limits.maxEvents()))
        .onSuccess(cut -> {
          if (cut > heldAfter) {
            heldAfter = cut;
            LOG.debug("event log purged [heldAfter: {}]", cut);
          }
        })
        .onFailure(e -> LOG.warn("event log purge failed [reason: {}]", e.getMessage()));
  }

  private void reserve(long seq) {
    reserving = true;
    long next = Math.max(ceiling, seq) + limits.seqBlock();
    store.run(s -> s.meta().put(META_SEQ_CEILING, Long.toString(next))).onComplete(r -> {
      reserving = false;
      if (r.succeeded()) {
        ceiling = Math.max(ceiling, next);
        LOG.debug("seq block reserved [ceiling: {}]", next);
      } else {
        LOG.warn("seq block reservation failed, will retry [reason: {}]", r.cause().getMessage());
      }
    });
  }

  private void trimRing() {
    while (ring.size() > limits.memoryEvents() && ring.peekFirst().seq() <= flushedThrough
        || ring.size() > hardCap) {
      ring.pollFirst();
    }
  }

  private static StoredEvent toStored(GatewayEvent e) {
    return new StoredEvent(e.seq(), e.kind(), e.deviceId(), e.ts(), Json.encode(e.data()));
  }

  private static GatewayEvent fromStored(StoredEvent s) {
    return new GatewayEvent(s.seq(), s.kind(), s.deviceId(), s.ts(), new JsonObject(s.dataJson()).getMap());
  }

  /** The wire form of an event's time ({@link io.hearth.gateway.core.Timestamps}). */
  public static String wireTime(GatewayEvent e) {
    return io.hearth.gateway.core.Timestamps.wire(e.ts());
  }
}
