package io.hearth.gateway.history;

import io.hearth.gateway.core.Timestamps;
import io.hearth.gateway.store.AsyncStore;
import io.hearth.gateway.store.HistoryRow;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Answers history queries from the store, on the store thread (docs/history.md): a page of raw
 * points, or a page of buckets summarised as the rows stream by (constant memory whatever the range).
 */
public final class HistoryService {
  private final AsyncStore store;
  private final Clock clock;
  private final long downsampleStepMs;

  /** @param downsampleStepMs the step old points were folded with ({@code history.downsampleStepMinutes}) */
  public HistoryService(AsyncStore store, Clock clock, long downsampleStepMs) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.downsampleStepMs = Math.max(1, downsampleStepMs);
  }

  /**
   * One page: {@code points} ({@code ts}, {@code value}) or {@code buckets}, and {@code nextCursor}
   * when more follow.
   */
  public Future<Map<String, Object>> query(HistoryQuery q) {
    Objects.requireNonNull(q, "q");
    return q.buckets() ? buckets(q) : points(q);
  }

  private Future<Map<String, Object>> points(HistoryQuery q) {
    int skip = q.cursor() == null ? 0 : q.cursor().skip();
    long start = q.startMs();
    return store.call(s -> s.history().rows(q.deviceId(), q.property(), start, q.toMs(), skip + q.limit() + 1,
        downsampleStepMs)).map(rows -> {
          List<HistoryRow> page = rows.subList(Math.min(skip, rows.size()), Math.min(rows.size(), skip + q.limit()));
          List<Map<String, Object>> points = new ArrayList<>(page.size());
          for (HistoryRow r : page) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("ts", Timestamps.wire(Instant.ofEpochMilli(r.ts())));
            p.put("value", Buckets.typed(q.kind(), r));
            if (r.downsampled()) {
              p.put("downsampled", true);
            }
            points.add(p);
          }
          Map<String, Object> out = head(q);
          out.put("points", points);
          if (rows.size() > skip + q.limit()) {
            long lastTs = page.get(page.size() - 1).ts();
            int atLast = (int) page.stream().filter(r -> r.ts() == lastTs).count();
            out.put("nextCursor", new HistoryQuery.Cursor(lastTs, lastTs == start ? skip + atLast : atLast).wire());
          }
          return out;
        });
  }

  private Future<Map<String, Object>> buckets(HistoryQuery q) {
    long start = q.startMs();
    long span = q.toMs() - start;
    long n = Math.min(q.limit(), (span + q.stepMs() - 1) / q.stepMs());
    long pageEnd = Math.min(q.toMs(), start + n * q.stepMs());
    long now = clock.millis();
    return store.call(s -> {
      HistoryRow before = s.history().lastBefore(q.deviceId(), q.property(), start).orElse(null);
      Buckets b = new Buckets(q.kind(), q.agg(), start, q.stepMs(), pageEnd, now, before);
      s.history().scan(q.deviceId(), q.property(), start, pageEnd, downsampleStepMs, b);
      return b.finish();
    }).map(list -> {
      Map<String, Object> out = head(q);
      out.put("step", q.stepMs() + "ms");
      out.put("agg", q.agg().wireName());
      out.put("buckets", list);
      if (pageEnd < q.toMs()) {
        out.put("nextCursor", new HistoryQuery.Cursor(pageEnd, 0).wire());
      }
      return out;
    });
  }

  private static Map<String, Object> head(HistoryQuery q) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("deviceId", q.deviceId());
    out.put("property", q.property());
    out.put("from", Timestamps.wire(Instant.ofEpochMilli(q.fromMs())));
    out.put("to", Timestamps.wire(Instant.ofEpochMilli(q.toMs())));
    return out;
  }
}
