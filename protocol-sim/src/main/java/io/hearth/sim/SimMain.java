package io.hearth.sim;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command line: {@code java -jar hearth-sim.jar [--mqtt URL] [--coap-base-port N] [--coap-rd URI]
 * (--devices FILE | --generate N [--profiles a,b,...] [--protocol mqtt|coap]) [--threads N]
 * [--report-interval-ms N] [--connect-concurrency N]}. Runs until SIGTERM or Ctrl-C, then disconnects
 * every device.
 */
public final class SimMain {

  static {
    // the CLI's own logging setup, unless the user chose one; must run before the first logger
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "hearth-sim-logback.xml");
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(SimMain.class);

  private SimMain() {
  }

  public static void main(String[] args) {
    try {
      run(args);
    } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
      System.err.println("hearth-sim: " + e.getMessage());
      System.exit(2);
    }
  }

  private static void run(String[] args) {
    String mqtt = null;
    String devicesFile = null;
    int generate = 0;
    List<String> profiles = List.of();
    SimOptions options = null;
    int coapBasePort = 5700;
    String coapRd = null;
    String protocol = "mqtt";
    Integer threads = null;
    Long interval = null;
    Integer concurrency = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        System.out.println(usage());
        return;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + a + "\n" + usage());
      }
      String v = args[++i];
      switch (a) {
        case "--mqtt": mqtt = v; break;
        case "--coap-base-port": coapBasePort = parseInt(a, v); break;
        case "--coap-rd": coapRd = v; break;
        case "--protocol": protocol = v; break;
        case "--devices": devicesFile = v; break;
        case "--generate": generate = parseInt(a, v); break;
        case "--profiles": case "--profile-mix": profiles = Arrays.asList(v.split(",")); break;
        case "--threads": threads = parseInt(a, v); break;
        case "--report-interval-ms": interval = (long) parseInt(a, v); break;
        case "--connect-concurrency": concurrency = parseInt(a, v); break;
        default: throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
      }
    }
    if ((devicesFile == null) == (generate == 0)) {
      throw new IllegalArgumentException("need one of --devices or --generate\n" + usage());
    }
    List<SimDeviceSpec> specs = new ArrayList<>(devicesFile != null
        ? SimDevices.load(Path.of(devicesFile)) : SimDevices.generate(generate, profiles, protocol));
    boolean anyMqtt = specs.stream().anyMatch(s -> "mqtt".equals(s.protocol()));
    if (mqtt == null && anyMqtt) {
      throw new IllegalArgumentException("MQTT devices need --mqtt\n" + usage());
    }
    options = SimOptions.defaults(mqtt == null ? "tcp://127.0.0.1:1883" : mqtt).withCoapBasePort(coapBasePort)
        .withStartTimeout(Duration.ofSeconds(60 + specs.size() / 50));
    if (coapRd != null) {
      options = options.withCoapRd(coapRd, options.coapRdLifetimeSeconds());
    }
    if (threads != null) {
      options = options.withThreads(threads);
    }
    if (interval != null) {
      options = options.withDefaultReportIntervalMs(interval);
    }
    if (concurrency != null) {
      options = options.withConnectConcurrency(concurrency);
    }
    long t0 = System.nanoTime();
    Simulator sim = Simulator.builder(options).devices(specs)
        .onProgress((up, total) -> System.out.println("connected " + up + "/" + total))
        .start();
    System.out.printf("hearth-sim ready: %d devices (%s) in %d ms%n", sim.devices().size(), where(sim, mqtt),
        (System.nanoTime() - t0) / 1_000_000);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutdown requested");
      sim.close();
      stopped.countDown();
    }, "hearth-sim-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** "mqtt: 3 on URL, coap: 2 on 127.0.0.1:5700-5701" */
  private static String where(Simulator sim, String mqtt) {
    long mqttCount = sim.devices().stream().filter(d -> sim.coapDevice(d.id()) == null).count();
    int lo = Integer.MAX_VALUE;
    int hi = 0;
    int coapCount = 0;
    for (SimDevice d : sim.devices()) {
      io.hearth.sim.coap.CoapSimDevice c = sim.coapDevice(d.id());
      if (c != null) {
        coapCount++;
        lo = Math.min(lo, c.port());
        hi = Math.max(hi, c.port());
      }
    }
    List<String> parts = new ArrayList<>();
    if (mqttCount > 0) {
      int bridges = sim.bridges().size();
      parts.add("mqtt: " + mqttCount + " on " + mqtt + (bridges > 0 ? " (" + bridges + " zigbee2mqtt bridges)" : ""));
    }
    if (coapCount > 0) {
      parts.add("coap: " + coapCount + " on udp ports " + lo + (hi > lo ? "-" + hi : ""));
    }
    return String.join(", ", parts);
  }

  private static int parseInt(String option, String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": expected a number, got " + v);
    }
  }

  private static String usage() {
    return "usage: java -jar hearth-sim.jar [--mqtt tcp://HOST:PORT] [--coap-base-port N] [--coap-rd coap://HOST:PORT]\n"
        + "         (--devices FILE | --generate N [--profiles light.dimmable,plug,...] [--protocol mqtt|coap])\n"
        + "         [--threads N] [--report-interval-ms N] [--connect-concurrency N]";
  }
}
