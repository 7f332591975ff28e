package io.hearth.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.TestTransports;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link SqliteEventStore}: append, page, edges, purge and its watermark. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteEventStoreTest {
  @TempDir
  Path dir;

  private static List<StoredEvent> events(long from, long to, Instant ts) {
    List<StoredEvent> out = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      out.add(new StoredEvent(s, "state", "lamp", ts, "{\"changes\":{\"brightness\":" + s + "}}"));
    }
    return out;
  }

  @Test
  void appendPageAndEdges() {
    try (SqliteStore store = new SqliteStore(dir, TestTransports.standard())) {
      store.open();
      EventStore log = store.events();
      assertEquals(OptionalLong.empty(), log.latestSeq());
      Instant now = Instant.parse("2026-11-25T10:00:00.123Z");
      log.append(events(1, 10, now));
      log.append(events(5, 12, now)); // a repeated seq is ignored
      assertEquals(OptionalLong.of(1), log.oldestSeq());
      assertEquals(OptionalLong.of(12), log.latestSeq());
      List<StoredEvent> page = log.after(3, 4);
      assertEquals(List.of(4L, 5L, 6L, 7L), page.stream().map(StoredEvent::seq).toList());
      assertEquals(now, page.get(0).ts());
      assertEquals("{\"changes\":{\"brightness\":4}}", page.get(0).dataJson());
    }
  }

  @Test
  void purgeKeepsTheNewestAndTheYoungAndRaisesTheWatermark() {
    try (SqliteStore store = new SqliteStore(dir, TestTransports.standard())) {
      store.open();
      EventStore log = store.events();
      Instant old = Instant.parse("2026-11-24T10:00:00Z");
      Instant young = Instant.parse("2026-11-25T10:00:00Z");
      log.append(events(1, 5, old));
      log.append(events(6, 20, young));
      // by age: 1..5 are older than the cutoff
      assertEquals(5, log.purge(Instant.parse("2026-11-25T00:00:00Z"), 100));
      assertEquals(OptionalLong.of(6), log.oldestSeq());
      assertEquals("5", store.meta().get(EventStore.META_HELD_AFTER).orElseThrow());
      // by count: keep the newest 10
      assertEquals(10, log.purge(Instant.EPOCH, 10));
      assertEquals(OptionalLong.of(11), log.oldestSeq());
      assertEquals("10", store.meta().get(EventStore.META_HELD_AFTER).orElseThrow());
      // nothing to purge: the watermark stays
      assertEquals(0, log.purge(Instant.EPOCH, 10));
      assertEquals("10", store.meta().get(EventStore.META_HELD_AFTER).orElseThrow());
      assertTrue(log.after(0, 100).size() == 10);
    }
  }
}
