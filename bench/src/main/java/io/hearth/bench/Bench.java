package io.hearth.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar hearth-bench.jar [--quick] [--out DIR] [--only a,b]}: measures the
 * gateway against the raw protocols on the same broker, devices and machine, in the same run.
 * Prints a table and writes {@code results.json} and {@code latency.png} to the output folder.
 * See {@code docs/benchmarks.md}.
 */
public final class Bench {
  private static final Logger LOG = LoggerFactory.getLogger(Bench.class);
  static final String USAGE = "usage: java -jar hearth-bench.jar [--quick] [--out DIR]"
      + " [--only latency,sequential,onedevice,throughput,fanout,scale,start,automations,relay]";

  private Bench() {}

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    boolean quick = false;
    Path out = Path.of("target/bench");
    List<String> only = List.of();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--out" -> {
          if (i + 1 >= args.length) {
            fail(USAGE);
          }
          out = Path.of(args[++i]);
        }
        case "--only" -> {
          if (i + 1 >= args.length) {
            fail(USAGE);
          }
          only = Arrays.asList(args[++i].split(","));
        }
        case "--help", "-h" -> {
          System.out.println(USAGE);
          return;
        }
        default -> fail("unknown argument '" + args[i] + "' (" + USAGE + ")");
      }
    }
    BenchOptions options = quick ? BenchOptions.quick(out) : BenchOptions.full(out);
    if (!only.isEmpty()) {
      options = options.withScenarios(only);
    }
    try {
      JsonObject results = run(options);
      System.out.println(Table.render(results));
      System.out.println("results: " + options.out().resolve("results.json").toAbsolutePath());
      System.exit(0);
    } catch (Exception e) {
      LOG.error("benchmark failed", e);
      fail(String.valueOf(e.getMessage()));
    }
  }

  /** Runs the chosen scenarios; writes results.json (and the chart) into the output folder. */
  public static JsonObject run(BenchOptions options) throws Exception {
    Files.createDirectories(options.out());
    JsonObject results = new JsonObject().put("startedAt", Instant.now().toString()).put("quick", options.quick())
        .put("machine", machine());
    JsonObject scenarios = new JsonObject();
    results.put("scenarios", scenarios);
    Map<String, Histogram> histograms = new LinkedHashMap<>();
    Path work = Files.createTempDirectory("hearth-bench");
    try {
      if (options.runs("latency") || options.runs("sequential") || options.runs("relay") || options.runs("onedevice")
          || options.runs("throughput")) {
        int devices = options.runs("throughput") ? Math.max(options.devices(), RoundTripScenario.MQTT_DEVICES)
            : RoundTripScenario.MQTT_DEVICES;
        BenchHome gateway = new BenchHome(work.resolve("home"), devices, RoundTripScenario.COAP_DEVICES,
            BenchHome.QUIET_REPORT_MS);
        // the relay scenario links this same gateway (its tunnel idles through the other scenarios)
        try (RelayScenario relay = options.runs("relay") ? new RelayScenario(options, work.resolve("relay")).start()
            : null;
            BenchHome home = (relay == null ? gateway : gateway.withRelay(relay.tunnel())).start()) {
          if (options.runs("latency")) {
            scenarios.put("commandRoundTrip", new RoundTripScenario(options, home, false).run(histograms));
            write(options, results, histograms);
          }
          if (options.runs("sequential")) {
            scenarios.put("sequentialRoundTrip", new RoundTripScenario(options, home, true).run(histograms));
            write(options, results, histograms);
          }
          if (relay != null) {
            scenarios.put("relay", relay.run(home, histograms));
            write(options, results, histograms);
          }
          if (options.runs("onedevice")) {
            scenarios.put("oneDevice", new ThroughputScenario(options, home, 1, ThroughputScenario.ONE_DEVICE_CLIENTS,
                ThroughputScenario.WARM_UP_SECONDS / 2).run());
            write(options, results, histograms);
          }
          if (options.runs("throughput")) {
            scenarios.put("throughput", new ThroughputScenario(options, home, devices, ThroughputScenario.CLIENTS,
                ThroughputScenario.WARM_UP_SECONDS).run());
            write(options, results, histograms);
          }
        }
      }
      if (options.runs("fanout")) {
        try (BenchHome home = new BenchHome(work.resolve("fanout"), FanOutScenario.DEVICES, 0,
            BenchHome.QUIET_REPORT_MS).start()) {
          scenarios.put("fanOut", new FanOutScenario(options, home).run(histograms));
          write(options, results, histograms);
        }
      }
      if (options.runs("automations")) {
        scenarios.put("automations", new AutomationScenario(options).run());
        write(options, results, histograms);
      }
      if (options.runs("scale") || options.runs("start")) {
        new ScaleScenario(options, work.resolve("scale")).run(scenarios);
        write(options, results, histograms);
      }
    } finally {
      deleteQuietly(work);
    }
    results.put("finishedAt", Instant.now().toString());
    write(options, results, histograms);
    return results;
  }

  private static void write(BenchOptions options, JsonObject results, Map<String, Histogram> histograms)
      throws IOException {
    Files.writeString(options.out().resolve("results.json"), results.encodePrettily());
    if (!histograms.isEmpty()) {
      Charts.latency(histograms, options.out().resolve("latency.png"));
    }
  }

  static JsonObject machine() {
    JsonObject m = new JsonObject().put("cpus", Runtime.getRuntime().availableProcessors())
        .put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
        .put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    try {
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      m.put("memoryMb", os.getTotalMemorySize() / (1024 * 1024));
    } catch (RuntimeException | LinkageError e) {
      LOG.debug("no total memory: {}", e.toString());
    }
    return m;
  }

  /** Waits for a Vert.x future from a thread that is not an event loop. */
  static <T> T join(Future<T> f, Duration timeout) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("not done within " + timeout, e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(paths.toList());
      java.util.Collections.reverse(all);
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.debug("temp folder not deleted: {}", e.toString());
    }
  }

  private static void fail(String reason) {
    System.err.println("hearth bench: " + reason);
    System.exit(1);
  }
}
