package io.hearth.gateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.TestTransports;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AsyncStoreTest {
  @TempDir
  Path dir;
  AsyncStore store;

  @BeforeEach
  void open(Vertx vertx) throws Exception {
    store = new AsyncStore(vertx, new SqliteStore(dir, TestTransports.standard()));
    await(store.open());
  }

  @AfterEach
  void close() throws Exception {
    await(store.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void runsOffTheEventLoopAndCompletesOnTheCallersContext(Vertx vertx, VertxTestContext test) {
    // GIVEN a caller on an event-loop context
    Context caller = vertx.getOrCreateContext();
    List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    caller.runOnContext(v -> {
      // WHEN it calls the store
      store.call(s -> {
        onEventLoop.add(Context.isOnEventLoopThread());
        threads.add(Thread.currentThread().getName());
        s.meta().put("k", "v");
        return s.meta().get("k");
      }).onComplete(test.succeeding(value -> test.verify(() -> {
        // THEN the store ran on the store worker, and the result arrives on the caller's context
        assertEquals(List.of(false), onEventLoop);
        assertTrue(threads.get(0).startsWith(AsyncStore.POOL_NAME), threads.get(0));
        assertSame(caller, Vertx.currentContext());
        assertTrue(Context.isOnEventLoopThread());
        assertEquals(Optional.of("v"), value);
        test.completeNow();
      })));
    });
  }

  @Test
  void callsRunOneAtATimeInSubmissionOrder(Vertx vertx) throws Exception {
    // GIVEN 200 calls submitted back to back (from the test thread)
    List<Integer> order = new CopyOnWriteArrayList<>();
    Set<String> threads = java.util.Collections.synchronizedSet(new HashSet<>());
    List<Future<Void>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int n = i;
      futures.add(store.run(s -> {
        order.add(n);
        threads.add(Thread.currentThread().getName());
      }));
    }
    await(Future.all(futures));
    // THEN they ran in order, all on one thread
    assertEquals(IntStream.range(0, 200).boxed().toList(), order);
    assertEquals(1, threads.size(), threads.toString());
  }

  @Test
  void aFailingCallFailsItsFutureOnly() throws Exception {
    IllegalArgumentException boom = new IllegalArgumentException("boom");
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(store.call(s -> {
      throw boom;
    })));
    assertSame(boom, e.getCause());
    assertEquals(Optional.empty(), await(store.call(s -> s.meta().get("still-works"))));
  }

  @Test
  void healthIsReadOnTheEventLoopWithoutWaitingForTheStoreThread(Vertx vertx) throws Exception {
    // GIVEN the store thread busy with a long call
    CountDownLatch release = new CountDownLatch(1);
    Future<Void> busy = store.run(s -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    // WHEN an event loop reads the health THEN it gets it at once
    Promise<StoreHealth> read = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> read.complete(store.health()));
    StoreHealth health = await(read.future());
    assertEquals(StoreHealth.Status.UP, health.status());
    assertFalse(busy.isComplete());
    release.countDown();
    await(busy);
  }

  @Test
  void aFullDiskFailsTheCallWithTheTypedErrorAndDegradesTheHealth(Vertx vertx) throws Exception {
    // GIVEN a database that cannot grow (see StoreDiskFullTest; VACUUM runs outside a group commit,
    // before the store is handed to its thread)
    await(store.close());
    SqliteStore capped = new SqliteStore(dir, TestTransports.standard());
    capped.open();
    capped.devices().upsert(Fixtures.coapDevice(DiskFullWrites.DEVICE));
    DiskFullWrites.capAtCurrentSize(capped);
    store = new AsyncStore(vertx, capped);
    // WHEN a command is saved THEN the future fails with the typed error, and the health says so
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> await(store.run(s -> s.commands().save(DiskFullWrites.command("c", 10_000)))));
    StoreUnavailableException full = assertInstanceOf(StoreUnavailableException.class, e.getCause());
    assertEquals(StoreUnavailableException.Reason.DISK_FULL, full.reason());
    assertEquals("degraded (disk full)", store.health().summary());
    // WHEN there is space again THEN the same call succeeds and the health is up
    await(store.run(s -> pragma(s, "max_page_count = 1073741823")));
    await(store.run(s -> s.commands().save(DiskFullWrites.command("c", 10_000))));
    assertEquals("up", store.health().summary());
  }

  /** Runs a pragma on the store's connection (tests lift the size cap with it). */
  static void pragma(Store s, String pragma) {
    try {
      ((SqliteStore) s).db().pragma(pragma);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void closeRunsQueuedCallsClosesTheStoreAndRefusesNewCalls() throws Exception {
    // GIVEN a write queued and not awaited
    Future<Void> write = store.run(s -> s.meta().put("queued", "yes"));
    // WHEN the store is closed at once
    await(store.close());
    // THEN the write went through and new calls fail
    assertTrue(write.succeeded());
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(store.call(s -> s.meta().get("x"))));
    StoreUnavailableException closed = assertInstanceOf(StoreUnavailableException.class, e.getCause());
    assertEquals(StoreUnavailableException.Reason.CLOSED, closed.reason());
    assertEquals("down (closed)", store.health().summary());
    assertSame(store.close(), store.close());
    try (SqliteStore reopened = new SqliteStore(dir, TestTransports.standard())) {
      reopened.open();
      assertEquals(Optional.of("yes"), reopened.meta().get("queued"));
    }
    assertFalse(Context.isOnEventLoopThread());
  }
}
