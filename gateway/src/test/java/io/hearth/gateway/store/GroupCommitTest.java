package io.hearth.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.TestTransports;
import io.hearth.gateway.store.Durability.Level;
import io.hearth.gateway.store.StoreUnavailableException.Reason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit and the durability levels (docs/storage.md#durability), counted by the store's
 * counters (the {@code hearth_store_*} meters) and held with a sync hook, never timed.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GroupCommitTest {
  /** A sync interval no test waits for: the periodic sync stays out of the counts. */
  private static final Duration NEVER = Duration.ofSeconds(60);

  @TempDir
  Path dir;
  private final HeldSync sync = new HeldSync();
  private SqliteStore sqlite;
  private AsyncStore store;
  private long baseCommits;
  private long baseSyncs;
  private long baseGrouped;

  @AfterEach
  void close() throws Exception {
    sync.open();
    await(store.close());
  }

  @Test
  void writesQueuedWhileTheStoreThreadIsBusyCommitInOneTransaction(Vertx vertx) throws Exception {
    // GIVEN 100 commands saved while the store thread is busy with a call
    start(vertx, Level.NORMAL, NEVER, 256);
    List<Consumer<Store>> saves = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      CommandRecord c = DiskFullWrites.command("c" + i, 10);
      saves.add(s -> s.commands().save(c));
    }
    await(Future.all(queuedTogether(saves)));
    // THEN they were committed in one transaction, with no sync before answering, and all are stored
    assertEquals(1, commits());
    assertEquals(0, syncs());
    assertEquals(101, sqlite.commitStats().groupedCalls() - baseGrouped);
    assertTrue(await(store.call(s -> s.commands().find("c99"))).isPresent());
    // AND the counters are the meters hearth_store_commits_total and hearth_store_syncs_total
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    StoreMeters.register(meters, sqlite.commitStats());
    assertEquals(sqlite.commitStats().commits(), meters.get("hearth_store_commits").functionCounter().count());
    assertEquals(sqlite.commitStats().syncs(), meters.get("hearth_store_syncs").functionCounter().count());
  }

  @Test
  void aGroupTakesAtMostMaxBatchCalls(Vertx vertx) throws Exception {
    // GIVEN groups of at most 10 calls and 100 writes queued behind a busy store thread
    start(vertx, Level.NORMAL, NEVER, 10);
    List<Consumer<Store>> appends = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      long seq = i + 1;
      appends.add(s -> s.events().append(List.of(DiskFullWrites.event(seq, 10))));
    }
    await(Future.all(queuedTogether(appends)));
    // THEN they took exactly 10 transactions
    assertEquals(10, commits());
  }

  @Test
  void normalAnswersBeforeTheSyncAndSyncsWithinTheInterval(Vertx vertx) throws Exception {
    // GIVEN level normal with a 20 ms sync interval, and a sync that cannot finish yet
    start(vertx, Level.NORMAL, Duration.ofMillis(20), 256);
    sync.hold();
    // WHEN a command is saved THEN it is answered while no sync has run
    await(store.run(s -> s.commands().save(DiskFullWrites.command("c1", 10))));
    assertEquals(0, syncs());
    // AND the periodic sync starts on its own, on the sync thread: the store thread still answers
    assertTrue(sync.started.await(10, TimeUnit.SECONDS));
    assertTrue(sync.thread.startsWith(AsyncStore.POOL_NAME + "-sync"), sync.thread);
    assertTrue(await(store.call(s -> s.commands().find("c1"))).isPresent());
    assertEquals(1, sync.calls.get());
  }

  @Test
  void normalSyncsAWriteThatMustNotBeLostBeforeAnsweringIt(Vertx vertx) throws Exception {
    // GIVEN level normal and a sync held
    start(vertx, Level.NORMAL, NEVER, 256);
    sync.hold();
    // WHEN a meta fact (a durable write) is put
    Future<Void> put = store.run(s -> s.meta().put("ceiling", "1000"));
    // THEN it is not answered until its sync has finished
    assertTrue(sync.started.await(10, TimeUnit.SECONDS));
    assertFalse(put.isComplete());
    sync.open();
    await(put);
    assertEquals(1, syncs());
  }

  @Test
  void fullAnswersOnlyAfterTheSyncAndOneSyncCoversEveryWriteQueuedMeanwhile(Vertx vertx) throws Exception {
    // GIVEN level full, and the sync of a first command held
    start(vertx, Level.FULL, NEVER, 256);
    sync.hold();
    Future<Void> first = store.run(s -> s.commands().save(DiskFullWrites.command("first", 10)));
    assertTrue(sync.started.await(10, TimeUnit.SECONDS));
    // WHEN 50 more commands arrive while that sync runs
    List<Future<Void>> more = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      CommandRecord c = DiskFullWrites.command("c" + i, 10);
      more.add(store.run(s -> s.commands().save(c)));
    }
    // THEN none is answered before the sync finishes
    assertFalse(first.isComplete());
    assertTrue(more.stream().noneMatch(Future::isComplete));
    assertEquals(0, syncs());
    sync.open();
    await(first);
    await(Future.all(more));
    // AND the 50 were committed and synced together: two commits, two syncs for 51 writes
    assertEquals(2, commits());
    assertEquals(2, syncs());
    assertEquals(2, sync.calls.get());
  }

  @Test
  void aFailingCallUndoesOnlyItsOwnWritesInTheGroup(Vertx vertx) throws Exception {
    // GIVEN three calls queued together, the middle one failing after a write
    start(vertx, Level.NORMAL, NEVER, 256);
    IllegalStateException boom = new IllegalStateException("boom");
    List<Future<Void>> calls = queuedTogether(List.of(s -> s.meta().put("a", "1"), s -> {
      s.meta().put("b", "1");
      throw boom;
    }, s -> s.meta().put("c", "1")));
    // THEN the failing call fails alone and keeps none of its writes; the others commit
    await(calls.get(0));
    await(calls.get(2));
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(calls.get(1)));
    assertSame(boom, e.getCause());
    assertEquals(List.of(Optional.of("1"), Optional.empty(), Optional.of("1")),
        await(store.call(s -> List.of(s.meta().get("a"), s.meta().get("b"), s.meta().get("c")))));
  }

  @Test
  void whatSqliteRefusesInATransactionRunsAlone(Vertx vertx) throws Exception {
    start(vertx, Level.NORMAL, NEVER, 256);
    // GIVEN VACUUM, which SQLite refuses inside a transaction: it fails as a call of a group
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(store.run(s -> vacuum(s))));
    assertInstanceOf(IllegalStateException.class, e.getCause());
    // WHEN it runs alone THEN it works, and the calls around it still do
    Future<Void> before = store.run(s -> s.meta().put("before", "1"));
    await(store.callAlone(s -> {
      vacuum(s);
      return null;
    }));
    await(before);
    assertEquals(Optional.of("1"), await(store.call(s -> s.meta().get("before"))));
  }

  @Test
  void aFullDiskFailsEveryCallOfTheGroupAndTheStoreRecovers(Vertx vertx) throws Exception {
    // GIVEN a database that cannot grow, with a meta fact a small update could change in place
    sqlite = new SqliteStore(dir, TestTransports.standard(), Level.NORMAL, sync);
    sqlite.open();
    sqlite.devices().upsert(Fixtures.coapDevice(DiskFullWrites.DEVICE));
    sqlite.meta().put("k", "v1");
    DiskFullWrites.capAtCurrentSize(sqlite);
    store = new AsyncStore(vertx, sqlite, new Durability(Level.NORMAL, NEVER, 256));
    // WHEN that update and a command too big for the file are queued together
    List<Future<Void>> both = queuedTogether(List.of(s -> s.meta().put("k", "v2"),
        s -> s.commands().save(DiskFullWrites.command("big", 50_000))));
    // THEN both fail with the disk-full error (503 STORE_UNAVAILABLE at the edges), and neither was written
    for (Future<Void> f : both) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> await(f));
      assertEquals(Reason.DISK_FULL, assertInstanceOf(StoreUnavailableException.class, e.getCause()).reason());
    }
    assertEquals(Optional.of("v1"), await(store.call(s -> s.meta().get("k"))));
    assertEquals("degraded (disk full)", store.health().summary());
    // WHEN there is space again THEN the same writes go through and the store is up
    await(store.run(s -> pragma(s, "max_page_count = 1073741823")));
    await(store.run(s -> s.meta().put("k", "v2")));
    await(store.run(s -> s.commands().save(DiskFullWrites.command("big", 50_000))));
    assertEquals("up", store.health().summary());
  }

  @Test
  void aFailedSyncFailsEveryCallOfItsGroupAndTheNextGroupSyncsAgain(Vertx vertx) throws Exception {
    // GIVEN level full and a disk whose sync fails once
    start(vertx, Level.FULL, NEVER, 256);
    sync.failNext();
    // WHEN a command is saved THEN its call fails with an I/O error and the health says so
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> await(store.run(s -> s.commands().save(DiskFullWrites.command("c1", 10)))));
    assertEquals(Reason.IO_ERROR, assertInstanceOf(StoreUnavailableException.class, e.getCause()).reason());
    assertEquals("degraded (I/O error)", store.health().summary());
    // WHEN the next write syncs THEN it is answered and the store is up
    await(store.run(s -> s.commands().save(DiskFullWrites.command("c2", 10))));
    assertEquals("up", store.health().summary());
    assertEquals(1, syncs());
    assertEquals(2, sync.calls.get());
  }

  private void start(Vertx vertx, Level level, Duration syncInterval, int maxBatch) throws Exception {
    sqlite = new SqliteStore(dir, TestTransports.standard(), level, sync);
    store = new AsyncStore(vertx, sqlite, new Durability(level, syncInterval, maxBatch));
    await(store.open());
    await(store.run(s -> s.devices().upsert(Fixtures.coapDevice(DiskFullWrites.DEVICE))));
    await(store.run(s -> { })); // the registry write above synced: start the counts from here
    sync.reset();
    baseCommits = sqlite.commitStats().commits();
    baseSyncs = sqlite.commitStats().syncs();
    baseGrouped = sqlite.commitStats().groupedCalls();
  }

  /**
   * Queues {@code ops} while a call holds the store thread, then lets it go: they make one group
   * (up to {@code maxBatch}). Returns their futures once the holding call is done.
   */
  private List<Future<Void>> queuedTogether(List<Consumer<Store>> ops) throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<Void> holder = store.run(s -> {
      running.countDown();
      awaitLatch(release);
    });
    assertTrue(running.await(10, TimeUnit.SECONDS));
    List<Future<Void>> futures = ops.stream().map(store::run).toList();
    release.countDown();
    await(holder);
    return futures;
  }

  private long commits() {
    return sqlite.commitStats().commits() - baseCommits;
  }

  private long syncs() {
    return sqlite.commitStats().syncs() - baseSyncs;
  }

  private static void pragma(Store s, String pragma) {
    try {
      ((SqliteStore) s).db().pragma(pragma);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void vacuum(Store s) {
    try {
      ((SqliteStore) s).db().vacuum();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitLatch(CountDownLatch latch) {
    try {
      assertTrue(latch.await(10, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A sync hook: counts syncs, can hold one until released, or fail the next one. */
  static final class HeldSync implements WalSync.Syncer {
    final AtomicInteger calls = new AtomicInteger();
    volatile CountDownLatch started = new CountDownLatch(1);
    volatile CountDownLatch release = new CountDownLatch(0);
    volatile boolean failNext;
    volatile String thread;

    @Override
    public void sync(Path wal) throws IOException {
      calls.incrementAndGet();
      thread = Thread.currentThread().getName();
      started.countDown();
      if (failNext) {
        failNext = false;
        throw new IOException("Input/output error");
      }
      awaitLatch(release);
      WalSync.FDATASYNC.sync(wal);
    }

    void hold() {
      release = new CountDownLatch(1);
    }

    void open() {
      release.countDown();
    }

    void failNext() {
      failNext = true;
    }

    void reset() {
      calls.set(0);
      started = new CountDownLatch(1);
    }
  }
}
