package io.hearth.bench;

import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimOptions;
import io.hearth.sim.Simulator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenarios 4 and 5, scale and start, on the gateway in its own JVM ({@link GatewayProcess}) with
 * a 128 MB heap ({@code -Xmx128m}, the target), devices simulated in this JVM:
 * <ul>
 *   <li>baseline: the gateway with no device — time to the ready line, live heap after GC, RSS;</li>
 *   <li>for each device count N: N MQTT devices registered, connected and reporting every 30 s —
 *       live heap after GC, RSS, and (heap − baseline heap) / N bytes per device;</li>
 *   <li>start with N stored device states: the N-device gateway restarted on its data folder
 *       (devices not running) — time to the ready line.</li>
 * </ul>
 */
final class ScaleScenario {
  private static final Logger LOG = LoggerFactory.getLogger(ScaleScenario.class);
  /**
   * The child's JVM flags: the 128 MB heap target; {@code -Dhearth.bench.childHeap="-Xmx1g ..."} (flags
   * separated by spaces) measures what does not fit it, or other flags.
   */
  static final List<String> JVM = List.of(System.getProperty("hearth.bench.childHeap", "-Xmx128m").trim().split("\\s+"));
  static final long REPORT_MS = 30_000;
  /** How long N devices may take to connect: 10,000 took ~5 min on two cores shared with 20 other processes. */
  static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(10);

  private final BenchOptions options;
  private final Path dir;

  ScaleScenario(BenchOptions options, Path dir) {
    this.options = Objects.requireNonNull(options, "options");
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  void run(JsonObject scenarios) throws Exception {
    Files.createDirectories(dir);
    JsonObject scale = new JsonObject().put("jvm", String.join(" ", JVM)).put("reportIntervalMs", REPORT_MS);
    JsonObject start = new JsonObject().put("jvm", String.join(" ", JVM));
    Path emptyDevices = writeDevices(dir.resolve("devices-0.yaml"), List.of());
    long baselineHeap;
    try (ChildGateway child = launch(dir.resolve("data-0"), emptyDevices, "0")) {
      start.put("emptyMs", readyMs(child));
      JsonObject mem = measure(child);
      baselineHeap = mem.getLong("heapBytes");
      scale.put("baseline", mem);
    }
    int largest = deviceCounts().stream().mapToInt(Integer::intValue).max().orElse(0);
    for (int n : deviceCounts()) {
      List<SimDeviceSpec> specs = specs(n);
      Path devices = writeDevices(dir.resolve("devices-" + n + ".yaml"), specs);
      Path data = dir.resolve("data-" + n);
      int brokerPort = BenchHome.freePort();
      JsonObject mem;
      try (ChildGateway child = launch(data, devices, String.valueOf(n), brokerPort)) {
        mem = connectAndMeasure(child, specs, baselineHeap);
        scale.put("devices" + n, mem);
        LOG.info("scale [devices: {}, heap: {} MB, rss: {} MB]", n, mem.getLong("heapBytes") >> 20,
            mem.getLong("rssBytes") >> 20);
      }
      if (n == largest && storedStates(data) > 0) {
        try {
          restart(start, data, devices, n, "embedded");
        } catch (IllegalStateException e) { // e.g. a heap too small for N: say so, keep the other figures
          LOG.warn("start [devices: {}]: {}", n, e.getMessage());
          start.put("restoredError", e.getMessage());
        }
      }
    }
    if (!options.quick() && largest > 0) {
      Optional<Path> mosquitto = ExternalMosquitto.binary();
      if (mosquitto.isPresent()) {
        scale.put("mosquitto", withMosquitto(mosquitto.get(), largest));
        if (!start.containsKey("restored" + largest + "Ms")) {
          // the embedded run did not store every device's state: restart on the Mosquitto run's folder
          restart(start, dir.resolve("data-mosquitto-" + largest), dir.resolve("devices-" + largest + ".yaml"),
              largest, "mosquitto");
        }
      } else {
        LOG.info("scale with an external Mosquitto skipped: mosquitto is not installed");
      }
    }
    scenarios.put("scale", scale);
    scenarios.put("start", start);
  }

  /** The device counts: the options', or {@code -Dhearth.bench.scaleDevices=10000} (comma-separated) for one run. */
  private List<Integer> deviceCounts() {
    String counts = System.getProperty("hearth.bench.scaleDevices");
    return counts == null ? options.scaleDevices()
        : java.util.Arrays.stream(counts.split(",")).map(String::trim).map(Integer::valueOf).toList();
  }

  /**
   * Scenario 5: the gateway restarted on a folder holding N devices' states, its devices not running;
   * then again with an AppCDS archive of its classes (docs/operations.md, "JVM flags for a hub"): one
   * run writes the archive at exit ({@code -XX:ArchiveClassesAtExit}), the next starts from it
   * ({@code -XX:SharedArchiveFile}).
   */
  private void restart(JsonObject start, Path data, Path devices, int n, String storedBy) throws Exception {
    long states = storedStates(data);
    try (ChildGateway child = launch(data, devices, n + "-restart")) {
      start.put("restored" + n + "Ms", readyMs(child)).put("restoredDevices", n).put("restoredStates", states)
          .put("restoredFrom", storedBy);
    }
    Path archive = dir.resolve("hearth-" + n + ".jsa");
    List<String> dump = new ArrayList<>(JVM);
    dump.add("-XX:ArchiveClassesAtExit=" + archive);
    try (ChildGateway child = new ChildGateway(dump, data, devices, BenchHome.freePort(),
        options.out().resolve("gateway-" + n + "-cds-dump.log"))) {
      readyMs(child);
    }
    if (!Files.isRegularFile(archive)) {
      LOG.warn("start with AppCDS skipped: no archive was written ({})", archive);
      return;
    }
    List<String> shared = new ArrayList<>(JVM);
    shared.add("-XX:SharedArchiveFile=" + archive);
    try (ChildGateway child = new ChildGateway(shared, data, devices, BenchHome.freePort(),
        options.out().resolve("gateway-" + n + "-cds.log"))) {
      start.put("restored" + n + "CdsMs", readyMs(child)).put("cdsArchiveBytes", Files.size(archive));
    }
  }

  /** Device states stored in a data folder's database (read after its gateway stopped). */
  private static long storedStates(Path data) {
    Path db = data.resolve("hearth.db");
    if (!Files.isRegularFile(db)) {
      return 0;
    }
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
        java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM device_state")) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (java.sql.SQLException e) {
      LOG.warn("stored states not counted [db: {}]: {}", db, e.getMessage());
      return 0;
    }
  }

  /**
   * The same N devices against the gateway with an external Mosquitto (no embedded broker in its
   * JVM): the gateway's own heap per device, and the broker's RSS beside it.
   */
  private JsonObject withMosquitto(Path binary, int n) throws Exception {
    JsonObject result = new JsonObject().put("jvm", String.join(" ", JVM));
    try (ExternalMosquitto broker = new ExternalMosquitto(binary, dir.resolve("mosquitto"),
        options.out().resolve("mosquitto.log"))) {
      long baselineHeap;
      try (ChildGateway child = new ChildGateway(JVM, dir.resolve("data-mosquitto-0"),
          dir.resolve("devices-0.yaml"), broker.port(), true, options.out().resolve("gateway-mosquitto-0.log"))) {
        child.await("ready", 300);
        JsonObject mem = measure(child);
        baselineHeap = mem.getLong("heapBytes");
        result.put("baseline", mem);
      }
      try (ChildGateway child = new ChildGateway(JVM, dir.resolve("data-mosquitto-" + n),
          dir.resolve("devices-" + n + ".yaml"), broker.port(), true,
          options.out().resolve("gateway-mosquitto-" + n + ".log"))) {
        JsonObject mem = connectAndMeasure(child, specs(n), baselineHeap).put("brokerRssBytes", broker.rssBytes());
        result.put("devices" + n, mem);
        LOG.info("scale with Mosquitto [devices: {}, heap: {} MB, rss: {} MB, mosquitto rss: {} MB]", n,
            mem.getLong("heapBytes") >> 20, mem.getLong("rssBytes") >> 20, mem.getLong("brokerRssBytes") >> 20);
      }
    }
    return result;
  }

  /** Starts the simulated devices against the child's broker, waits until all are online, measures. */
  private static JsonObject connectAndMeasure(ChildGateway child, List<SimDeviceSpec> specs, long baselineHeap)
      throws Exception {
    int n = specs.size();
    String[] ready = child.await("ready", 300).split(" ");
    long connectStart = System.nanoTime();
    try (Simulator sim = Simulator.start(SimOptions.defaults(ready[2]).withDefaultReportIntervalMs(REPORT_MS)
        .withConnectConcurrency(200).withStartTimeout(CONNECT_TIMEOUT), specs)) {
      long connectMs = (System.nanoTime() - connectStart) / 1_000_000;
      awaitOnline(Integer.parseInt(ready[1]), n);
      JsonObject mem = measure(child);
      return mem.put("devices", n).put("connectMs", connectMs).put("allOnline", true)
          .put("bytesPerDevice", n == 0 ? 0 : (mem.getLong("heapBytes") - baselineHeap) / n);
    } catch (IllegalStateException e) {
      // the heap is too small for N (it spends its time in GC): say so, with the heap as it is
      LOG.warn("scale [devices: {}]: not all online: {}", n, e.getMessage());
      JsonObject mem;
      try {
        mem = measure(child);
      } catch (RuntimeException busy) { // no answer: its heap is full and it is collecting garbage
        mem = new JsonObject().put("heapBytes", -1L).put("rssBytes", -1L).put("heapMaxBytes", -1L);
      }
      child.kill(); // a stop would wait on the collector too
      return mem.put("devices", n).put("allOnline", false).put("error", e.getMessage())
          .put("bytesPerDevice", mem.getLong("heapBytes") < 0 ? -1 : (mem.getLong("heapBytes") - baselineHeap) / n);
    }
  }

  private static List<SimDeviceSpec> specs(int n) {
    List<SimDeviceSpec> specs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = BenchHome.mqttId(i);
      specs.add(SimDeviceSpec.mqtt(id, i % 2 == 0 ? "light.dimmable" : "sensor.climate")
          .withCredentials(id, "pw-" + id).withReportIntervalMs(REPORT_MS));
    }
    return specs;
  }

  private ChildGateway launch(Path data, Path devices, String name) throws IOException {
    return launch(data, devices, name, BenchHome.freePort());
  }

  private ChildGateway launch(Path data, Path devices, String name, int brokerPort) throws IOException {
    return new ChildGateway(JVM, data, devices, brokerPort, options.out().resolve("gateway-" + name + ".log"));
  }

  private static long readyMs(ChildGateway child) throws InterruptedException {
    child.await("ready", 300);
    return (System.nanoTime() - child.launchedNanos()) / 1_000_000;
  }

  private static JsonObject measure(ChildGateway child) throws InterruptedException {
    child.send("measure");
    String[] m = child.await("mem", 60).split(" ");
    return new JsonObject().put("heapBytes", Long.parseLong(m[1])).put("rssBytes", Long.parseLong(m[2]))
        .put("heapMaxBytes", Long.parseLong(m[3]));
  }

  /** Waits until the gateway shows every device online (pairs as the owner first). */
  private static void awaitOnline(int httpPort, int n) {
    try (GatewayClient client = new GatewayClient("127.0.0.1", httpPort, 4)) {
      String token = Bench.join(client.pair(BenchHome.PAIRING_CODE, "bench"), Duration.ofSeconds(30))
          .getString("accessToken");
      long deadline = System.nanoTime() + 120_000_000_000L;
      long online = -1;
      while (System.nanoTime() < deadline) {
        JsonArray list = Bench.join(client.get(token, "/api/v1/devices"), Duration.ofSeconds(60))
            .getJsonArray("devices");
        online = list.stream().filter(d -> ((JsonObject) d).getBoolean("online", false)).count();
        if (online >= n) {
          return;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L); // poll again, bounded by the deadline
      }
      throw new IllegalStateException("only " + online + " of " + n + " devices online");
    }
  }

  private static Path writeDevices(Path file, List<SimDeviceSpec> specs) throws IOException {
    JsonArray list = new JsonArray();
    for (SimDeviceSpec s : specs) {
      list.add(new JsonObject().put("id", s.id()).put("name", s.id()).put("room", "bench").put("profile", s.profile())
          .put("binding", new JsonObject().put("protocol", "mqtt").put("convention", "hearth")
              .put("credentials", new JsonObject().put("username", s.username()).put("password", s.password()))));
    }
    Files.writeString(file, new JsonObject().put("devices", list).encode());
    return file;
  }
}
