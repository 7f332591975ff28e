package io.hearth.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The one funnel onto an adapter's context: library threads' tasks run there, in order. */
@Timeout(10)
class ContextCallsTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void executorRunsEveryTaskOnTheContextInSubmissionOrder() throws Exception {
    // GIVEN the executor of a context, used from a thread that is not Vert.x's (as Californium's are)
    Context context = vertx.getOrCreateContext();
    Executor executor = ContextCalls.executor(context);
    List<Integer> order = new CopyOnWriteArrayList<>();
    List<Context> seen = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(100);
    Thread library = new Thread(() -> {
      for (int i = 0; i < 100; i++) {
        int n = i;
        executor.execute(() -> {
          seen.add(Vertx.currentContext());
          order.add(n);
          done.countDown();
        });
      }
    }, "library-thread");
    // WHEN it submits tasks
    library.start();
    // THEN each runs on that context, in order
    assertTrue(done.await(5, TimeUnit.SECONDS));
    assertEquals(java.util.stream.IntStream.range(0, 100).boxed().toList(), order);
    seen.forEach(c -> assertSame(context, c));
  }

  @Test
  void aFailingTaskDoesNotStopTheNextOne() throws Exception {
    Context context = vertx.getOrCreateContext();
    Executor executor = ContextCalls.executor(context);
    CompletableFuture<Boolean> next = new CompletableFuture<>();
    executor.execute(() -> {
      throw new IllegalStateException("expected in this test");
    });
    executor.execute(() -> next.complete(Vertx.currentContext() == context));
    assertTrue(next.get(5, TimeUnit.SECONDS));
  }
}
