package io.hearth.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hearth.gateway.store.AutomationStore.StoredAutomation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tier 1: the {@code automations} and {@code automation_runs} tables: rules and runs survive a
 * restart; a run left {@code running} by a crash becomes {@code interrupted}; purge and delete.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteAutomationStoreTest extends SqliteTestBase {
  private static final Instant T0 = Instant.parse("2026-12-03T18:00:00Z");

  @Test
  void rulesAndRunsSurviveARestartAndARunningRunEndsInterrupted() {
    store.automations().upsert(new StoredAutomation("a", "{\"id\":\"a\"}", true));
    store.automations().upsert(new StoredAutomation("b", "{\"id\":\"b\"}", true));
    store.automations().upsert(new StoredAutomation("a", "{\"id\":\"a\",\"mode\":\"queued\"}", false));
    RunRecord done = new RunRecord("r1", "a", T0, T0.plusSeconds(2), "succeeded", Map.of("type", "manual"),
        List.of(Map.of("index", 0, "type", "delay", "status", "succeeded")), null);
    RunRecord running = new RunRecord("r2", "a", T0.plusSeconds(10), null, "running", Map.of("type", "state"),
        List.of(), null);
    store.automations().saveRun(done);
    store.automations().saveRun(running);
    // WHEN the gateway "crashes" and starts again
    reopen();
    assertEquals(List.of(new StoredAutomation("a", "{\"id\":\"a\",\"mode\":\"queued\"}", false),
        new StoredAutomation("b", "{\"id\":\"b\"}", true)), store.automations().load());
    assertEquals(1, store.automations().interruptRunning(T0.plusSeconds(60)));
    List<RunRecord> runs = store.automations().runs("a", 10);
    assertEquals(List.of("r2", "r1"), runs.stream().map(RunRecord::runId).toList(), "newest first");
    assertEquals("interrupted", runs.get(0).status());
    assertEquals(T0.plusSeconds(60), runs.get(0).endedAt());
    assertEquals(done, runs.get(1));
    assertEquals(1, store.automations().runs("a", 1).size());
    // purge: only ended runs older than the cut; delete takes the runs with the rule
    assertEquals(1, store.automations().purgeRuns(T0.plusSeconds(30)));
    store.automations().delete("a");
    assertEquals(List.of(), store.automations().runs("a", 10));
    assertEquals(1, store.automations().load().size());
    assertNull(store.automations().runs("b", 10).stream().findFirst().orElse(null));
  }
}
