package io.hearth.gateway.history;

import io.hearth.gateway.core.Timestamps;
import io.hearth.gateway.history.HistoryQuery.Agg;
import io.hearth.gateway.history.HistoryQuery.Kind;
import io.hearth.gateway.store.HistoryRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Summarises rows, given in time order, into consecutive buckets of {@code stepMs} from
 * {@code startMs} (the last one may end early, at {@code endMs}). Exact for raw points; a
 * downsampled row counts with its min, max, sum and count, and as its last value at its time
 * (docs/history.md#buckets).
 *
 * <ul>
 *   <li>{@code stats}: {@code count}, {@code min}, {@code max}, {@code avg} (mean of the points),
 *       {@code last}; an empty bucket has {@code count} 0 only.</li>
 *   <li>{@code delta}: the counter's growth, from the last value before the bucket (a drop counts
 *       as a reset to 0: the new value is the growth); absent while no value is known yet.</li>
 *   <li>{@code state}: milliseconds spent in each value, from the value before the bucket on,
 *       up to the bucket's end or {@code nowMs}, whichever comes first; {@code last}.</li>
 * </ul>
 */
final class Buckets implements Consumer<HistoryRow> {
  private final Kind kind;
  private final Agg agg;
  private final long startMs;
  private final long stepMs;
  private final long endMs;
  private final long nowMs;
  private final List<Map<String, Object>> out = new ArrayList<>();

  // the bucket being filled
  private long bucketStart;
  private long count;
  private double min;
  private double max;
  private double sum;
  private double delta;
  private boolean deltaKnown;
  private final Map<String, Long> timeInState = new TreeMap<>();
  private long stateSince;
  // carried across buckets
  private HistoryRow last;

  Buckets(Kind kind, Agg agg, long startMs, long stepMs, long endMs, long nowMs, HistoryRow before) {
    this.kind = kind;
    this.agg = agg;
    this.startMs = startMs;
    this.stepMs = stepMs;
    this.endMs = endMs;
    this.nowMs = nowMs;
    this.last = before;
    open(startMs);
  }

  @Override
  public void accept(HistoryRow row) {
    if (row.ts() >= endMs) {
      return; // past the page: not ours
    }
    while (row.ts() >= bucketEnd()) {
      close();
      open(bucketStart + stepMs);
    }
    if (row.ts() < bucketStart) {
      return; // out of order: not ours
    }
    count += row.count();
    min = Math.min(min, row.min());
    max = Math.max(max, row.max());
    sum += row.sum();
    if (agg == Agg.DELTA && last != null) {
      double d = row.last() - last.last();
      delta += d >= 0 ? d : row.last();
      deltaKnown = true;
    }
    if (agg == Agg.STATE) {
      if (last != null) {
        timeInState.merge(state(last), row.ts() - stateSince, Long::sum);
      }
      stateSince = row.ts();
    }
    last = row;
  }

  /** Closes the buckets up to {@code endMs}; the summaries, in order. */
  List<Map<String, Object>> finish() {
    while (true) {
      close();
      if (bucketStart + stepMs >= endMs) {
        return out;
      }
      open(bucketStart + stepMs);
    }
  }

  private long bucketEnd() {
    return Math.min(bucketStart + stepMs, endMs);
  }

  private void open(long start) {
    bucketStart = start;
    count = 0;
    min = Double.POSITIVE_INFINITY;
    max = Double.NEGATIVE_INFINITY;
    sum = 0;
    delta = 0;
    deltaKnown = last != null && agg == Agg.DELTA;
    timeInState.clear();
    stateSince = start;
  }

  private void close() {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("start", Timestamps.wire(Instant.ofEpochMilli(bucketStart)));
    b.put("end", Timestamps.wire(Instant.ofEpochMilli(bucketEnd())));
    switch (agg) {
      case STATS -> {
        b.put("count", count);
        if (count > 0) {
          b.put("min", value(min));
          b.put("max", value(max));
          b.put("avg", sum / count);
          b.put("last", value(last.last()));
        }
      }
      case DELTA -> {
        if (deltaKnown) {
          b.put("delta", delta);
        }
      }
      case STATE -> {
        long until = Math.min(bucketEnd(), Math.max(nowMs, stateSince));
        if (last != null && until > stateSince) {
          timeInState.merge(state(last), until - stateSince, Long::sum);
        }
        b.put("timeInState", new LinkedHashMap<>(timeInState));
        if (last != null && last.ts() < bucketEnd()) {
          b.put("last", typed(last));
        }
      }
    }
    out.add(b);
  }

  private Object value(double v) {
    return kind == Kind.INTEGER && v == Math.rint(v) ? (Object) (long) v : (Object) v;
  }

  private String state(HistoryRow r) {
    return kind == Kind.ENUM ? String.valueOf(r.label()) : Boolean.toString(r.last() != 0);
  }

  /** A point's value as the property's type. */
  static Object typed(Kind kind, HistoryRow r) {
    return switch (kind) {
      case BOOLEAN -> r.last() != 0;
      case ENUM -> r.label();
      case INTEGER -> r.last() == Math.rint(r.last()) ? (Object) (long) r.last() : (Object) r.last();
      case NUMBER -> r.last();
    };
  }

  private Object typed(HistoryRow r) {
    return typed(kind, r);
  }
}
