package io.hearth.gateway.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.coap.CoapBinding;
import io.hearth.device.DeviceDefinition;
import io.hearth.gateway.TestTransports;
import io.hearth.gateway.config.HistoryConfig;
import io.hearth.gateway.history.HistoryQuery.Agg;
import io.hearth.gateway.history.HistoryQuery.Cursor;
import io.hearth.gateway.history.HistoryQuery.Kind;
import io.hearth.gateway.store.AsyncStore;
import io.hearth.gateway.store.HistoryPoint;
import io.hearth.gateway.store.SqliteStore;
import io.hearth.gateway.store.StoredDevice;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Buckets exact on known data, paging, and retention with downsampling, on a real SQLite file. */
@Timeout(30)
class HistoryServiceTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  static final long STEP_5M = Duration.ofMinutes(5).toMillis();

  @TempDir
  Path dir;
  Vertx vertx;
  AsyncStore store;
  HistoryService service;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    store = new AsyncStore(vertx, new SqliteStore(dir, TestTransports.standard()));
    await(store.open());
    // "now" is a day after T0 + 3 days: every bucket below is in the past
    service = new HistoryService(store, Clock.fixed(T0.plus(Duration.ofDays(4)), ZoneOffset.UTC), STEP_5M);
    await(store.run(s -> s.devices().upsert(new StoredDevice(new DeviceDefinition("d", null, null, "light.dimmable",
        new CoapBinding("generic", "coap://127.0.0.1:5702", "/state", "replace", Map.of())), false))));
  }

  @AfterEach
  void close() throws Exception {
    await(store.close());
    await(vertx.close());
  }

  @Test
  void statsBucketsAreExact() throws Exception {
    // GIVEN four points over two minutes
    append(point("t", 0, 10), point("t", 20, 14), point("t", 50, 12), point("t", 70, 20));
    // WHEN summarised per minute
    List<Map<String, Object>> b = buckets(query("t", Kind.INTEGER, 0, 180, 60, Agg.STATS, 10, null));
    // THEN each bucket is exact; the empty third one has count 0 only
    assertEquals(3, b.size());
    assertEquals(Map.of("start", "2026-12-01T00:00:00.000Z", "end", "2026-12-01T00:01:00.000Z", "count", 3L,
        "min", 10L, "max", 14L, "avg", 12.0, "last", 12L), b.get(0));
    assertEquals(1L, b.get(1).get("count"));
    assertEquals(20L, b.get(1).get("last"));
    assertEquals(20.0, b.get(1).get("avg"));
    assertEquals(Map.of("start", "2026-12-01T00:02:00.000Z", "end", "2026-12-01T00:03:00.000Z", "count", 0L),
        b.get(2));
  }

  @Test
  void timeInStateCountsFromTheStateBeforeTheRange() throws Exception {
    // GIVEN closed since before the range, open from 0:15 to 0:45
    append(point("open", -10, 0), point("open", 15, 1), point("open", 45, 0));
    List<Map<String, Object>> b = buckets(query("open", Kind.BOOLEAN, 0, 120, 60, Agg.STATE, 10, null));
    assertEquals(Map.of("false", 30_000L, "true", 30_000L), b.get(0).get("timeInState"));
    assertEquals(false, b.get(0).get("last"));
    // the second minute: closed throughout
    assertEquals(Map.of("false", 60_000L), b.get(1).get("timeInState"));
  }

  @Test
  void enumTimeInState() throws Exception {
    append(HistoryPoint.label("d", "mode", T0, "heat"), HistoryPoint.label("d", "mode", T0.plusSeconds(40), "cool"));
    List<Map<String, Object>> b = buckets(query("mode", Kind.ENUM, 0, 60, 60, Agg.STATE, 10, null));
    assertEquals(Map.of("heat", 40_000L, "cool", 20_000L), b.get(0).get("timeInState"));
    assertEquals("cool", b.get(0).get("last"));
  }

  @Test
  void deltaPerDayCountsAcrossTheDayBoundaryAndAReset() throws Exception {
    long h = 3600;
    append(point("energy_kwh", 1 * h, 100.0), point("energy_kwh", 23 * h, 102.5),
        point("energy_kwh", 25 * h, 103.0), point("energy_kwh", 47 * h, 106.0),
        // the meter restarted from 0 on day 3
        point("energy_kwh", 49 * h, 0.5), point("energy_kwh", 60 * h, 1.5));
    List<Map<String, Object>> b = buckets(query("energy_kwh", Kind.NUMBER, 0, 72 * h, 24 * h, Agg.DELTA, 10, null));
    assertEquals(2.5, (double) b.get(0).get("delta"), 1e-9); // no value before: from the day's first one
    assertEquals(3.5, (double) b.get(1).get("delta"), 1e-9); // 102.5 (end of day 1) → 106.0
    assertEquals(1.5, (double) b.get(2).get("delta"), 1e-9); // 106.0 → reset → 0.5 → 1.5
  }

  @Test
  void rawPagesCoverEveryPointOnceEvenWithEqualTimes() throws Exception {
    List<HistoryPoint> points = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      points.add(point("t", i / 2 * 10, i)); // pairs of points at the same time
    }
    append(points.toArray(HistoryPoint[]::new));
    List<Object> seen = new ArrayList<>();
    Cursor cursor = null;
    int pages = 0;
    do {
      Map<String, Object> page = await(service.query(query("t", Kind.INTEGER, 0, 3600, 0, null, 7, cursor)));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> got = (List<Map<String, Object>>) page.get("points");
      got.forEach(p -> seen.add(p.get("value")));
      cursor = page.containsKey("nextCursor") ? Cursor.parse((String) page.get("nextCursor")) : null;
      pages++;
    } while (cursor != null);
    assertEquals(4, pages);
    assertEquals(25, seen.size());
    assertEquals(25, seen.stream().distinct().count());
  }

  @Test
  void bucketPagesFollowEachOther() throws Exception {
    append(point("t", 0, 1), point("t", 290, 2));
    Map<String, Object> first = await(service.query(query("t", Kind.INTEGER, 0, 300, 60, Agg.STATS, 2, null)));
    assertEquals(2, ((List<?>) first.get("buckets")).size());
    Cursor next = Cursor.parse((String) first.get("nextCursor"));
    assertEquals(T0.plusSeconds(120).toEpochMilli(), next.ms());
    Map<String, Object> third = await(service.query(query("t", Kind.INTEGER, 0, 300, 60, Agg.STATS, 2,
        new Cursor(T0.plusSeconds(240).toEpochMilli(), 0))));
    List<Map<String, Object>> b = buckets(third);
    assertEquals(1, b.size());
    assertEquals(2L, b.get(0).get("last"));
    assertFalse(third.containsKey("nextCursor"));
  }

  @Test
  void retentionFoldsOldPointsIntoBucketsThatSummariseTheSame() throws Exception {
    // GIVEN a point a minute for 10 minutes, 8 days before "now", and one recent point
    Instant old = T0;
    List<HistoryPoint> points = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      points.add(point("t", i * 60, i * 10));
    }
    points.add(point("t", Duration.ofDays(8).toSeconds(), 7));
    append(points.toArray(HistoryPoint[]::new));
    HistoryQuery fiveMinutes = query("t", Kind.INTEGER, 0, 600, 300, Agg.STATS, 10, null);
    List<Map<String, Object>> before = buckets(fiveMinutes);
    // WHEN retention runs 8 days later: raw 7 days, 5-minute buckets for 365 days
    HistoryRetention retention = new HistoryRetention(new HistoryConfig(10_000, Map.of(), 7, 5, 365, 100));
    Instant now = old.plus(Duration.ofDays(8));
    assertEquals(10, (int) await(store.call(s -> retention.apply(s.history(), now))));
    // THEN the same summaries come out of two buckets, and the raw view shows one point per bucket
    assertEquals(before, buckets(fiveMinutes));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> raw = (List<Map<String, Object>>) await(service.query(
        query("t", Kind.INTEGER, 0, 600, 0, null, 100, null))).get("points");
    assertEquals(List.of(Map.of("ts", "2026-12-01T00:04:00.000Z", "value", 40L, "downsampled", true),
        Map.of("ts", "2026-12-01T00:09:00.000Z", "value", 90L, "downsampled", true)), raw);
    // AND the recent point is still raw
    assertEquals(1, await(store.call(s -> s.history().rows("d", "t", now.toEpochMilli(), Long.MAX_VALUE, 10, STEP_5M)))
        .size());
    // WHEN buckets are kept one day, 9 days later: the recent point is folded (1), then all 3 buckets go
    HistoryRetention shortBuckets = new HistoryRetention(new HistoryConfig(10_000, Map.of(), 7, 5, 1, 100));
    assertEquals(4, (int) await(store.call(s -> shortBuckets.apply(s.history(), now.plus(Duration.ofDays(9))))));
    assertTrue(buckets(fiveMinutes).stream().allMatch(m -> m.get("count").equals(0L)));
  }

  @Test
  void downsamplingOffDropsOldPoints() throws Exception {
    append(point("t", 0, 1), point("t", Duration.ofDays(8).toSeconds(), 2));
    HistoryRetention drop = new HistoryRetention(new HistoryConfig(10_000, Map.of(), 7, 0, 365, 100));
    assertEquals(1, (int) await(store.call(s -> drop.apply(s.history(), T0.plus(Duration.ofDays(8))))));
    assertNull(await(store.call(s -> s.history().lastBefore("d", "t", T0.plusSeconds(1).toEpochMilli())))
        .orElse(null));
  }

  // ---- helpers

  private static HistoryPoint point(String property, long second, double value) {
    return new HistoryPoint("d", property, T0.plusSeconds(second), value);
  }

  private void append(HistoryPoint... points) throws Exception {
    await(store.run(s -> s.states().appendHistory(List.of(points))));
  }

  private static HistoryQuery query(String property, Kind kind, long fromSecond, long toSecond, long stepSeconds,
      Agg agg, int limit, Cursor cursor) {
    return new HistoryQuery("d", property, kind, T0.plusSeconds(fromSecond).toEpochMilli(),
        T0.plusSeconds(toSecond).toEpochMilli(), stepSeconds * 1000, agg, limit, cursor);
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> buckets(HistoryQuery q) throws Exception {
    return (List<Map<String, Object>>) await(service.query(q)).get("buckets");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> buckets(Map<String, Object> page) {
    return (List<Map<String, Object>>) page.get("buckets");
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
