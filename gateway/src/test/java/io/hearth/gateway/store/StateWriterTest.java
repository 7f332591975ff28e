package io.hearth.gateway.store;

import static io.hearth.gateway.store.AsyncStoreTest.await;
import static io.hearth.gateway.store.Fixtures.T0;
import static io.hearth.gateway.store.Fixtures.coapDevice;
import static io.hearth.gateway.store.Fixtures.snapshot;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.TestTransports;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StateWriterTest {
  private static final Duration NEVER = Duration.ofHours(1);

  @TempDir
  Path dir;
  Vertx vertx;
  RecordingStore recorder;
  AsyncStore store;

  @BeforeEach
  void open(Vertx vertx) throws Exception {
    this.vertx = vertx;
    SqliteStore sqlite = new SqliteStore(dir, TestTransports.standard());
    sqlite.open();
    sqlite.devices().upsert(coapDevice("d"));
    sqlite.devices().upsert(coapDevice("e"));
    recorder = RecordingStore.around(sqlite);
    store = new AsyncStore(vertx, recorder.proxy());
  }

  @AfterEach
  void close() throws Exception {
    recorder.hook = method -> {};
    await(store.close());
  }

  private static HistoryPoint point(int i) {
    return new HistoryPoint("d", "temperature", T0.plusMillis(i), i);
  }

  @Test
  void coalescesStatesToOneRowPerDevicePerFlush() throws Exception {
    // GIVEN 100 updates of one device and one of another
    StateWriter writer = new StateWriter(vertx, store, NEVER, 1000);
    for (int v = 1; v <= 100; v++) {
      writer.stateChanged(snapshot("d", v));
    }
    writer.stateChanged(snapshot("e", 1));
    writer.stateChanged(snapshot("d", 50)); // an older one arriving late is ignored
    // WHEN flushed
    await(writer.flush());
    // THEN one states().save call wrote one row per device, the latest
    List<RecordingStore.Call> saves = recorder.calls("states.save");
    assertEquals(1, saves.size());
    assertEquals(List.of(snapshot("d", 100), snapshot("e", 1)), saves.get(0).items());
    assertEquals(100, await(store.call(s -> s.states().load())).get("d").version());
    // AND an empty flush writes nothing
    await(writer.flush());
    assertEquals(1, recorder.calls("states.save").size());
  }

  @Test
  void flushesPeriodicallyByItself() throws Exception {
    StateWriter writer = new StateWriter(vertx, store, Duration.ofMillis(50), 1000);
    writer.start();
    writer.stateChanged(snapshot("d", 7));
    writer.history(point(1));
    await().atMost(Duration.ofSeconds(5)).until(() -> recorder.calls("states.appendHistory").size() == 1);
    assertEquals(7, await(store.call(s -> s.states().load())).get("d").version());
    await(writer.close());
  }

  @Test
  void flushPersistsAcrossReopen() throws Exception {
    // GIVEN buffered states and history
    StateWriter writer = new StateWriter(vertx, store);
    writer.start();
    writer.stateChanged(snapshot("d", 3));
    IntStream.range(0, 5).forEach(i -> writer.history(point(i)));
    // WHEN closed (shutdown) and the file reopened
    await(writer.close());
    await(store.close());
    try (SqliteStore reopened = new SqliteStore(dir, TestTransports.standard())) {
      reopened.open();
      // THEN everything is there
      assertEquals(snapshot("d", 3), reopened.states().load().get("d"));
      assertEquals(5, reopened.states().history("d", "temperature", Instant.EPOCH, T0.plusSeconds(1), 100).size());
    }
  }

  @Test
  void manyHistoryPointsFlushEarly() {
    // GIVEN a limit of 10 pending points and no periodic flush in sight
    StateWriter writer = new StateWriter(vertx, store, NEVER, 10);
    // WHEN 10 points arrive THEN they are written without waiting for the interval
    IntStream.range(0, 10).forEach(i -> writer.history(point(i)));
    await().atMost(Duration.ofSeconds(5)).until(() -> recorder.calls("states.appendHistory").size() == 1);
    assertEquals(10, recorder.calls("states.appendHistory").get(0).items().size());
  }

  @Test
  void pointsBeyondTheCapAreDroppedOldestFirstWhileTheStoreIsStuck() throws Exception {
    // GIVEN a store stuck in the first history write
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    recorder.hook = method -> {
      if (method.equals("states.appendHistory") && entered.getCount() > 0) {
        entered.countDown();
        assertTrue(release.await(10, TimeUnit.SECONDS));
      }
    };
    StateWriter writer = new StateWriter(vertx, store, NEVER, 10);
    IntStream.range(0, 10).forEach(i -> writer.history(point(i)));
    assertTrue(entered.await(5, TimeUnit.SECONDS));
    // WHEN 100 more points arrive (cap: twice the limit)
    IntStream.range(10, 110).forEach(i -> writer.history(point(i)));
    release.countDown();
    await(writer.flush());
    // THEN the first batch and the newest 20 were written
    List<RecordingStore.Call> appends = recorder.calls("states.appendHistory");
    assertEquals(2, appends.size());
    assertEquals(IntStream.range(90, 110).mapToObj(StateWriterTest::point).toList(), appends.get(1).items());
  }

  @Test
  void aFailedWriteIsKeptAndRetried() throws Exception {
    // GIVEN a store that fails the first state write
    AtomicBoolean failOnce = new AtomicBoolean(true);
    recorder.hook = method -> {
      if (method.equals("states.save") && failOnce.getAndSet(false)) {
        throw new StoreException("disk full (simulated)");
      }
    };
    StateWriter writer = new StateWriter(vertx, store, NEVER, 1000);
    writer.stateChanged(snapshot("d", 1));
    writer.history(point(1));
    // WHEN the first flush fails
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(writer.flush()));
    assertTrue(e.getCause().getMessage().contains("simulated"));
    writer.stateChanged(snapshot("e", 2));
    // THEN the next one writes the kept data along with the new
    await(writer.flush());
    assertEquals(List.of(snapshot("d", 1), snapshot("e", 2)), recorder.calls("states.save").get(1).items());
    assertEquals(1, await(store.call(s -> s.states().history("d", "temperature", Instant.EPOCH, T0.plusSeconds(1), 10)))
        .size());
  }
}
