package io.hearth.gateway.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.TestTransports;
import io.hearth.gateway.store.StoreHealth.Status;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code /health} clears without waiting for the next write: while the store is degraded a small
 * write ({@link MetaStore#probe()}) runs every {@code data.healthProbeIntervalMs}. The full disk is
 * the database capped at its size ({@code max_page_count}, as in {@link StoreDiskFullTest}).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StoreHealthProbeTest {
  private static final String NO_CAP = "max_page_count = 1073741823";
  private static final long INTERVAL_MS = 100;
  @TempDir
  Path dir;
  AsyncStore store;
  StoreHealthProbe probe;

  @BeforeEach
  void open(Vertx vertx) throws Exception {
    store = new AsyncStore(vertx, new SqliteStore(dir, TestTransports.standard()));
    done(store.open());
    probe = new StoreHealthProbe(vertx, store, INTERVAL_MS);
  }

  @AfterEach
  void close() throws Exception {
    done(probe.stop());
    done(store.close());
  }

  @Test
  void theProbeFailsWhileTheDiskIsFullAndBringsTheStoreUpOnceThereIsSpaceLeavingNoRow() throws Exception {
    // GIVEN a full database and a failed write: degraded
    done(store.run(s -> s.devices().upsert(Fixtures.coapDevice(DiskFullWrites.DEVICE))));
    // (the cap vacuums first: outside any group commit's transaction)
    done(store.callAlone(s -> {
      DiskFullWrites.capAtCurrentSize((SqliteStore) s);
      return null;
    }));
    failOneWrite();
    // WHEN the probe runs THEN it fails too (it needs a new page, as the write did), still degraded
    ExecutionException e = assertThrows(ExecutionException.class, () -> done(store.run(s -> s.meta().probe())));
    assertEquals(StoreUnavailableException.Reason.DISK_FULL,
        assertInstanceOf(StoreUnavailableException.class, e.getCause()).reason());
    assertEquals("degraded (disk full)", store.health().summary());
    // WHEN space is back THEN the probe succeeds, the store is up, and the probe left no row
    done(store.run(s -> AsyncStoreTest.pragma(s, NO_CAP)));
    done(store.run(s -> s.meta().probe()));
    assertEquals(Status.UP, store.health().status());
    assertEquals(Optional.empty(), done(store.call(s -> s.meta().get(SqliteMetaStore.PROBE_KEY))));
  }

  @Test
  void healthIsUpWithinTheIntervalAfterSpaceIsBackWithoutAnyOtherWrite() throws Exception {
    // GIVEN the probe running, and nothing to probe while the store is up
    done(probe.start());
    await().during(Duration.ofMillis(3 * INTERVAL_MS)).atMost(Duration.ofSeconds(2)).until(() -> probe.probes() == 0);
    // GIVEN a full database and a failed write
    done(store.run(s -> s.devices().upsert(Fixtures.coapDevice(DiskFullWrites.DEVICE))));
    // (the cap vacuums first: outside any group commit's transaction)
    done(store.callAlone(s -> {
      DiskFullWrites.capAtCurrentSize((SqliteStore) s);
      return null;
    }));
    failOneWrite();
    // THEN probes run and fail while the disk stays full: still degraded
    await().atMost(Duration.ofSeconds(5)).until(() -> probe.probes() >= 3);
    assertEquals("degraded (disk full)", store.health().summary());
    // WHEN space is back (and the gateway writes nothing)
    done(store.run(s -> AsyncStoreTest.pragma(s, NO_CAP)));
    long back = System.nanoTime();
    // THEN the health is up within the interval (plus one probe's write)
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> store.health().isUp());
    long ms = (System.nanoTime() - back) / 1_000_000;
    LoggerFactory.getLogger(StoreHealthProbeTest.class).info("measured: store up {} ms after space was back (probe every {} ms)",
        ms, INTERVAL_MS);
    assertTrue(ms < 2 * INTERVAL_MS + 500, "up after " + ms + " ms");
    // AND no probe runs once up
    long probes = probe.probes();
    await().during(Duration.ofMillis(3 * INTERVAL_MS)).atMost(Duration.ofSeconds(2)).until(() -> probe.probes() == probes);
  }

  private void failOneWrite() {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> done(store.run(s -> s.commands().save(DiskFullWrites.command("c", 10_000)))));
    assertInstanceOf(StoreUnavailableException.class, e.getCause());
    assertEquals("degraded (disk full)", store.health().summary());
  }

  static <T> T done(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
