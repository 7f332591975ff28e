package io.hearth.bench;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 2, throughput: {@code clients} clients (64), each with one command in flight at a time
 * (closed loop), over {@code devices} devices (1,000) chosen at random; commands completed per
 * second over a measured window after a warm-up. The same with 32 clients on <em>one</em> device
 * is the slider storm ({@code onedevice}): a slider dragged by many hands, a scene hitting one light. Raw: 8 Paho connections (the broker's per-client publish limit applies to
 * every client but the gateway's own, so one raw connection alone would hit it) carrying the 64
 * loops; each connection subscribes to the replies of its eighth of the devices and sends their
 * commands (a shared {@code hearth/+/reply} would deliver every reply 8 times). Gateway: 64 loops of REST {@code wait:true} commands over a pool of keep-alive
 * connections, all with the owner's token (the bench gateway lifts the per-session limit).
 */
final class ThroughputScenario {
  private static final Logger LOG = LoggerFactory.getLogger(ThroughputScenario.class);
  static final int CLIENTS = 64;
  static final int ONE_DEVICE_CLIENTS = 32;
  static final int RAW_CONNECTIONS = 8;
  static final int WARM_UP_SECONDS = 40;
  /** A raw request whose reply does not come within this counts as failed (its loop goes on). */
  private static final long RAW_TIMEOUT_MS = 5_000;

  private final BenchOptions options;
  private final BenchHome home;
  private final int devices;
  private final int clients;
  private final int warmUpSeconds;

  /**
   * @param warmUpSeconds the warm-up of a full run (a quick run warms up 1 s)
   */
  ThroughputScenario(BenchOptions options, BenchHome home, int devices, int clients, int warmUpSeconds) {
    this.options = Objects.requireNonNull(options, "options");
    this.home = Objects.requireNonNull(home, "home");
    this.devices = devices;
    this.clients = clients;
    this.warmUpSeconds = warmUpSeconds;
  }

  JsonObject run() {
    JsonObject raw = rawRun();
    JsonObject gw = gatewayRun();
    double ratio = raw.getDouble("perSecond") == 0 ? 0 : gw.getDouble("perSecond") / raw.getDouble("perSecond");
    LOG.info("throughput [raw: {}/s, gateway: {}/s]", raw.getDouble("perSecond"), gw.getDouble("perSecond"));
    return new JsonObject().put("clients", clients).put("devices", devices).put("seconds", options.seconds())
        .put("raw", raw).put("gateway", gw).put("ratio", RoundTripScenario.round(ratio));
  }

  private JsonObject rawRun() {
    ExecutorService exec = Executors.newFixedThreadPool(2, r -> new Thread(r, "bench-raw-tp"));
    List<RawMqtt> connections = new ArrayList<>();
    try {
      // one device: one connection (the device itself publishes at least as many bytes per command,
      // so the broker's per-client publish limit binds the device first, on both paths alike)
      for (int c = 0; c < Math.min(RAW_CONNECTIONS, devices); c++) {
        List<String> replies = new ArrayList<>();
        for (int d = c; d < devices; d += RAW_CONNECTIONS) {
          replies.add("hearth/" + BenchHome.mqttId(d) + "/reply");
        }
        connections.add(new RawMqtt(home.app().mqttUrl(), "bench-raw-tp" + c, exec, replies));
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
          connections.get(d % connections.size()).set(BenchHome.mqttId(d), RoundTripScenario.props(counter.sent()))
              .orTimeout(RAW_TIMEOUT_MS, TimeUnit.MILLISECONDS).whenComplete((ok, e) -> {
                counter.done(t, e == null && Boolean.TRUE.equals(ok));
                next(client, counter);
              });
        }
      });
    } finally {
      connections.forEach(RawMqtt::close);
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
              boolean ok = r.succeeded() && r.result().status() == 200;
              if (ok && r.result().body().contains("\"status\":\"superseded\"")) {
                counter.superseded.incrementAndGet(); // answered, its value carried by a newer command
              }
              counter.done(t, ok);
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
    for (int c = 0; c < clients; c++) {
      loop.next(c, counter);
    }
    // warm-up: long enough for the JIT; after 3 s C2 still took a quarter of the CPU and both figures
    // were half their steady state (raw 2,100 → 4,000/s, gateway 1,100 → 2,700/s with 40 s)
    park(options.quick() ? 1 : warmUpSeconds);
    counter.reset();
    long start = System.nanoTime();
    park(options.seconds());
    long ok = counter.ok.get();
    long failed = counter.failed.get();
    long superseded = counter.superseded.get();
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
        .put("superseded", superseded).put("deliveredPerSecond", Math.round((ok - superseded) / seconds))
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
    /** Answered {@code superseded} (counted in ok too). */
    final AtomicLong superseded = new AtomicLong();
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
      superseded.set(0);
      histogram.reset();
    }
  }
}
