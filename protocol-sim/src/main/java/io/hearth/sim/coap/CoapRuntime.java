package io.hearth.sim.coap;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every simulated CoAP device of one simulator shares: one Californium configuration (never
 * read from or written to a properties file) and two executors, a protocol pool of a few threads
 * and one timer thread, whatever the number of devices (as Leshan shares one executor across its
 * clients). The devices' datagrams themselves travel on the simulator's Vert.x event loops (see
 * {@link VertxUdpConnector}), so a device costs no thread of its own.
 */
public final class CoapRuntime implements AutoCloseable {

  /** Prefix of the names of the threads this runtime starts. */
  public static final String THREAD_PREFIX = "hearth-sim-coap";

  private static final Logger LOG = LoggerFactory.getLogger(CoapRuntime.class);

  static {
    CoapConfig.register();
    UdpConfig.register();
  }

  private final Configuration config;
  private final ScheduledThreadPoolExecutor main;
  private final ScheduledThreadPoolExecutor secondary;

  private CoapRuntime(int threads) {
    this.config = Configuration.createStandardWithoutFile();
    this.main = executor(threads, THREAD_PREFIX + "-");
    this.secondary = executor(1, THREAD_PREFIX + "-timer-");
  }

  /** Starts the shared executors ({@code threads} protocol threads plus one timer thread). */
  public static CoapRuntime start(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive");
    }
    LOG.info("coap runtime started [threads: {}]", threads);
    return new CoapRuntime(threads);
  }

  private static ScheduledThreadPoolExecutor executor(int threads, String prefix) {
    AtomicInteger n = new AtomicInteger();
    ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(threads, r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    e.setRemoveOnCancelPolicy(true);
    e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return e;
  }

  Configuration config() {
    return config;
  }

  ScheduledExecutorService main() {
    return main;
  }

  ScheduledExecutorService secondary() {
    return secondary;
  }

  /**
   * Runs blocking Californium work (binding, starting, stopping endpoints) on the protocol pool and
   * completes on {@code context}, never blocking an event loop.
   */
  <T> Future<T> blocking(Context context, Callable<T> work) {
    Promise<T> p = Promise.promise();
    try {
      main.execute(() -> {
        try {
          T result = work.call();
          context.runOnContext(v -> p.complete(result));
        } catch (Exception | LinkageError e) {
          context.runOnContext(v -> p.fail(e));
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return Future.failedFuture(new IllegalStateException("coap runtime closed"));
    }
    return p.future();
  }

  /** Stops both executors and waits (up to 10 s) for their threads to end. */
  @Override
  public void close() {
    main.shutdownNow();
    secondary.shutdownNow();
    try {
      if (!main.awaitTermination(10, TimeUnit.SECONDS) || !secondary.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("coap runtime threads did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("coap runtime stopped");
  }
}
