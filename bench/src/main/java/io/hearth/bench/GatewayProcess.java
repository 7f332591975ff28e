package io.hearth.bench;

import io.hearth.gateway.Application;
import io.hearth.gateway.config.GatewayConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The gateway alone in its own JVM, for the scale and start scenarios (so that its heap and RSS
 * are its own, not the simulator's): {@code GatewayProcess DATA_DIR DEVICES_FILE PROFILES BROKER_PORT [external]}
 * ({@code external}: no embedded broker, the one on {@code BROKER_PORT} is Mosquitto).
 * Prints {@code BENCH ready <httpPort> <mqttUrl>} once started, then answers lines on stdin:
 * {@code measure} → {@code BENCH mem <heapUsedBytes> <rssBytes> <heapMaxBytes>} after a full GC,
 * {@code stop} → stops cleanly and exits 0.
 */
public final class GatewayProcess {
  private GatewayProcess() {}

  public static void main(String[] args) throws IOException {
    Path data = Path.of(args[0]);
    int brokerPort = Integer.parseInt(args[3]);
    boolean external = args.length > 4 && "external".equals(args[4]);
    GatewayConfig config = new GatewayConfig(
        new GatewayConfig.Http("127.0.0.1", 0, new GatewayConfig.Tls(false, null, null), 65536),
        new GatewayConfig.Mqtt(new GatewayConfig.Embedded(!external, "127.0.0.1", brokerPort, false),
            "tcp://127.0.0.1:" + brokerPort, null, null),
        new GatewayConfig.Coap("127.0.0.1", 0),
        data, BenchHome.PAIRING_CODE, Path.of(args[2]), Path.of(args[1]),
        new GatewayConfig.Commands(5000, 60000, 60_000));
    Application app = Application.builder(config).build();
    Bench.join(app.start(), Duration.ofSeconds(300));
    System.out.println("BENCH ready " + app.httpPort() + " " + app.mqttUrl());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if ("measure".equals(line.trim())) {
        for (int i = 0; i < 3; i++) {
          System.gc();
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        histogram();
        System.out.println("BENCH mem " + heap.getUsed() + " " + rss() + " " + heap.getMax());
        System.out.flush();
      } else if ("stop".equals(line.trim())) {
        break;
      }
    }
    Bench.join(app.stop(), Duration.ofSeconds(120));
    System.out.println("BENCH stopped");
    System.out.flush();
    System.exit(0);
  }

  /**
   * With {@code -Dhearth.bench.histogram=FOLDER}: the live objects' class histogram (as {@code jcmd
   * <pid> GC.class_histogram} prints it) into {@code FOLDER/histogram-<pid>-<n>.txt}, for the profile
   * behind a memory figure.
   */
  private static void histogram() {
    String folder = System.getProperty("hearth.bench.histogram");
    if (folder == null) {
      return;
    }
    try {
      Object text = ManagementFactory.getPlatformMBeanServer().invoke(
          new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {new String[0]}, new String[] {String[].class.getName()});
      Path dir = Files.createDirectories(Path.of(folder));
      Files.writeString(dir.resolve("histogram-" + ProcessHandle.current().pid() + "-" + (++histograms) + ".txt"),
          String.valueOf(text));
    } catch (IOException | javax.management.JMException e) {
      System.out.println("histogram failed: " + e);
    }
  }

  private static int histograms;

  /** VmRSS of this process in bytes (Linux), or -1. */
  static long rss() {
    return rss(Path.of("/proc/self/status"));
  }

  /** VmRSS from a {@code /proc/<pid>/status} file in bytes, or -1. */
  static long rss(Path status) {
    try {
      for (String l : Files.readAllLines(status)) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
