package io.hearth.bench;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 2, throughput: 64 clients, each with one command in flight at a time (closed loop),
 * over {@code devices} devices chosen at random; commands completed per second over a measured
 * window after a warm-up. Raw: 8 Paho connections (the broker's per-client publish limit applies to
 * every client but the gateway's own, so one raw connection alone would hit it) carrying the 64
 * loops; each connection subscribes to the replies of its eighth of the devices and sends their
 * commands (a shared {@code hearth/+/reply} would deliver every reply 8 times). Gateway: 64 loops of REST {@code wait:true} commands over a pool of keep-alive
 * connections, all with the owner's token (the bench gateway lifts the per-session limit).
 */
final class ThroughputScenario {
  private static final Logger LOG = LoggerFactory.getLogger(ThroughputScenario.class);
  static final int CLIENTS = 64;
  static final int RAW_CONNECTIONS = 8;
  static final int WARM_UP_SECONDS = 40;

  private final BenchOptions options;
  private final BenchHome home;
  private final int devices;

  ThroughputScenario(BenchOptions options, BenchHome home, int devices) {
    this.options = Objects.requireNonNull(options, "options");
    this.home = Objects.requireNonNull(home, "home");
    this.devices = devices;
  }

  JsonObject run() {
    JsonObject raw = rawRun();
    JsonObject gw = gatewayRun();
    double ratio = raw.getDouble("perSecond") == 0 ? 0 : gw.getDouble("perSecond") / raw.getDouble("perSecond");
    LOG.info("throughput [raw: {}/s, gateway: {}/s]", raw.getDouble("perSecond"), gw.getDouble("perSecond"));
    return new JsonObject().put("clients", CLIENTS).put("devices", devices).put("seconds", options.seconds())
        .put("raw", raw).put("gateway", gw).put("ratio", RoundTripScenario.round(ratio));
  }

  private JsonObject rawRun() {
    ExecutorService exec = Executors.newFixedThreadPool(2, r -> new Thread(r, "bench-raw-tp"));
    List<RawMqtt> clients = new ArrayList<>();
    try {
      for (int c = 0; c < RAW_CONNECTIONS; c++) {
        List<String> replies = new ArrayList<>();
        for (int d = c; d < devices; d += RAW_CONNECTIONS) {
          replies.add("hearth/" + BenchHome.mqttId(d) + "/reply");
        }
        clients.add(new RawMqtt(home.app().mqttUrl(), "bench-raw-tp" + c, exec, replies));
      }
      return measure(new Loop() {
        @Override
        void next(int client, Counter counter) {
          if (counter.stop) {
            return;
          }
          long t = System.nanoTime();
          int d = ThreadLocalRandom.current().nextInt(devices);
          // the connection that hears this device's replies sends its commands
          clients.get(d % RAW_CONNECTIONS).set(BenchHome.mqttId(d), RoundTripScenario.props(counter.sent()))
              .whenComplete((ok, e) -> {
                counter.done(t, e == null && Boolean.TRUE.equals(ok));
                next(client, counter);
              });
        }
      });
    } finally {
      clients.forEach(RawMqtt::close);
      exec.shutdownNow();
    }
  }

  private JsonObject gatewayRun() {
    return measure(new Loop() {
      @Override
      void next(int client, Counter counter) {
        if (counter.stop) {
          return;
        }
        long t = System.nanoTime();
        home.client().command(home.ownerToken(), randomDevice(),
                new JsonObject(RoundTripScenario.props(counter.sent())))
            .onComplete(r -> {
              counter.done(t, r.succeeded() && r.result().status() == 200);
              next(client, counter);
            });
      }
    });
  }

  private String randomDevice() {
    return BenchHome.mqttId(ThreadLocalRandom.current().nextInt(devices));
  }

  private JsonObject measure(Loop loop) {
    Counter counter = new Counter();
    for (int c = 0; c < CLIENTS; c++) {
      loop.next(c, counter);
    }
    // warm-up: long enough for the JIT; after 3 s C2 still took a quarter of the CPU and both figures
    // were half their steady state (raw 2,100 → 4,000/s, gateway 1,100 → 2,700/s with 40 s)
    park(options.quick() ? 1 : WARM_UP_SECONDS);
    counter.reset();
    long start = System.nanoTime();
    park(options.seconds());
    long ok = counter.ok.get();
    long failed = counter.failed.get();
    Latency latency;
    synchronized (counter) {
      latency = Latency.of(counter.histogram);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    counter.stop = true;
    // let the loops drain: each stops after its command in flight
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (counter.inFlight.get() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(10_000_000L);
    }
    return new JsonObject().put("perSecond", Math.round(ok / seconds)).put("ok", ok).put("failed", failed)
        .put("latency", latency.toJson());
  }

  private static void park(int seconds) {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long left;
    while ((left = end - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left); // the measuring window itself, not a wait for an event
    }
  }

  /** One closed loop per client: {@link #next} sends a command and calls itself when it completes. */
  private abstract static class Loop {
    abstract void next(int client, Counter counter);
  }

  /** Completed commands and their latencies (closed loop: no send waits for a schedule). */
  private static final class Counter {
    final AtomicLong ok = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong inFlight = new AtomicLong();
    final Histogram histogram = Latency.histogram();
    volatile boolean stop;

    int sent() {
      inFlight.incrementAndGet();
      return (int) sent.incrementAndGet();
    }

    void done(long startNanos, boolean success) {
      inFlight.decrementAndGet();
      (success ? ok : failed).incrementAndGet();
      synchronized (this) {
        Latency.record(histogram, System.nanoTime() - startNanos);
      }
    }

    synchronized void reset() {
      ok.set(0);
      failed.set(0);
      histogram.reset();
    }
  }
}
