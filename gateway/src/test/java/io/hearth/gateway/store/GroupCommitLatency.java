package io.hearth.gateway.store;

import io.hearth.gateway.TestTransports;
import io.hearth.gateway.store.Durability.Level;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not a test: measures how long a command's store write takes to be answered (accept + store), as
 * an event loop sees it, at each {@code data.durability} level, with group commit and without it
 * ({@code maxBatch} 1: one transaction, and at {@code full} one sync, per write), one writer at a
 * time and 32 at once. Numbers in docs/benchmarks.md#durability-group-commit. Run (after
 * {@code ./mvnw -o -q -pl gateway -am test-compile} and
 * {@code ./mvnw -o -q -pl gateway dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt}):
 *
 * <pre>
 * java -cp gateway/target/test-classes:gateway/target/classes:$(cat /tmp/cp.txt) \
 *     io.hearth.gateway.store.GroupCommitLatency /dev/shm/hearth-latency /work/hearth-latency
 * </pre>
 */
public final class GroupCommitLatency {
  private static final int WRITES = 10_000;
  private static final int CONCURRENT = 32;

  private GroupCommitLatency() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      System.out.println("where | level | maxBatch | writers | keyed | p50 ms | p99 ms | writes/s | commits | syncs");
      for (String where : args) {
        for (Level level : Level.values()) {
          for (int maxBatch : new int[] {256, 1}) {
            for (int writers : new int[] {1, CONCURRENT}) {
              for (boolean keyed : new boolean[] {false, true}) {
                run(vertx, Path.of(where), level, maxBatch, writers, keyed);
              }
            }
          }
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static void run(Vertx vertx, Path root, Level level, int maxBatch, int writers, boolean keyed)
      throws Exception {
    Path dir = Files.createDirectories(root).resolve(level.wireName() + "-" + maxBatch + "-" + writers + "-" + keyed);
    SqliteStore sqlite = new SqliteStore(dir, TestTransports.standard(), level);
    AsyncStore store = new AsyncStore(vertx, sqlite, new Durability(level, Duration.ofMillis(200), maxBatch));
    await(store.open());
    await(store.run(s -> s.devices().upsert(Fixtures.coapDevice(DiskFullWrites.DEVICE))));
    measure(vertx, store, writers, keyed, 500, "warm-up"); // JIT and file growth
    long commits = sqlite.commitStats().commits();
    long syncs = sqlite.commitStats().syncs();
    long start = System.nanoTime();
    long[] latencies = measure(vertx, store, writers, keyed, WRITES, "run");
    double seconds = (System.nanoTime() - start) / 1e9;
    Arrays.sort(latencies);
    System.out.printf("%s | %s | %d | %d | %s | %.3f | %.3f | %.0f | %d | %d%n", root, level.wireName(), maxBatch,
        writers, keyed ? "yes" : "no", latencies[latencies.length / 2] / 1e6,
        latencies[(int) (latencies.length * 0.99)] / 1e6, WRITES / seconds,
        sqlite.commitStats().commits() - commits, sqlite.commitStats().syncs() - syncs);
    await(store.close());
  }

  /** {@code writers} chains on one event loop, each writing its next command once the last is answered. */
  private static long[] measure(Vertx vertx, AsyncStore store, int writers, boolean keyed, int total, String tag)
      throws Exception {
    long[] latencies = new long[total];
    AtomicInteger next = new AtomicInteger();
    Promise<Void> done = Promise.promise();
    AtomicInteger running = new AtomicInteger(writers);
    vertx.getOrCreateContext().runOnContext(v -> {
      for (int w = 0; w < writers; w++) {
        chain(store, keyed, tag, latencies, next, running, done);
      }
    });
    await(done.future());
    return latencies;
  }

  private static void chain(AsyncStore store, boolean keyed, String tag, long[] latencies, AtomicInteger next,
      AtomicInteger running, Promise<Void> done) {
    int i = next.getAndIncrement();
    if (i >= latencies.length) {
      if (running.decrementAndGet() == 0) {
        done.complete();
      }
      return;
    }
    String id = tag + "-" + i;
    long t0 = System.nanoTime();
    CommandRecord command = new CommandRecord(id, DiskFullWrites.DEVICE, "{\"set\":{\"brightness\":" + (i % 100)
        + "}}", CommandStatus.PENDING, null, Instant.now(), null);
    Future<Void> saved = store.run(s -> s.commands().save(command));
    if (keyed) {
      IdempotencyRecord key = IdempotencyRecord.reserved("key-" + id, "hash", id, Instant.now());
      saved = Future.all(saved, store.run(s -> s.commands().saveIdempotency(key))).mapEmpty();
    }
    saved.onComplete(r -> {
      latencies[i] = System.nanoTime() - t0;
      chain(store, keyed, tag, latencies, next, running, done);
    });
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
