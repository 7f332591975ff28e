package io.hearth.gateway.store;

import static io.hearth.gateway.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.store.SceneStore.SceneRow;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenes survive a reopen; an update keeps the creation time; delete says whether there was one. */
class SqliteSceneStoreTest extends SqliteTestBase {

  @Test
  void putFindUpdateDeleteAcrossAReopen() {
    store.scenes().put(new SceneRow("b", "{\"name\":\"B\",\"targets\":{}}", T0, T0));
    store.scenes().put(new SceneRow("a", "{\"name\":\"A\",\"targets\":{}}", T0, T0));
    store.scenes().put(new SceneRow("a", "{\"name\":\"A2\",\"targets\":{}}", T0.plusSeconds(9), T0.plusSeconds(9)));
    reopen();
    assertEquals(List.of("a", "b"), store.scenes().all().stream().map(SceneRow::id).toList());
    SceneRow a = store.scenes().find("a").orElseThrow();
    assertEquals("{\"name\":\"A2\",\"targets\":{}}", a.definition());
    assertEquals(T0, a.createdAt());
    assertEquals(T0.plusSeconds(9), a.updatedAt());
    assertTrue(store.scenes().delete("a"));
    assertFalse(store.scenes().delete("a"));
    assertTrue(store.scenes().find("a").isEmpty());
  }

  @Test
  void deletingADeviceDeletesItsDownsampledHistory() {
    store.devices().upsert(Fixtures.coapDevice("s"));
    store.states().appendHistory(List.of(new HistoryPoint("s", "t", T0, 1)));
    store.history().downsample(T0.plusSeconds(600).toEpochMilli(), 300_000);
    assertEquals(1, store.history().rows("s", "t", 0, Long.MAX_VALUE, 10, 300_000).size());
    store.devices().delete("s", false);
    assertEquals(0, store.history().rows("s", "t", 0, Long.MAX_VALUE, 10, 300_000).size());
  }
}
