package io.hearth.gateway;

import io.hearth.gateway.config.ConfigException;
import io.hearth.gateway.config.ConfigLoader;
import io.hearth.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar hearth-gateway.jar [--config FILE]}: starts the gateway, logs
 * {@code Hearth ready …} once every listener accepts connections, and on SIGTERM stops accepting,
 * ends in-flight commands explicitly, flushes state and exits 0. A bad configuration exits 2 with a
 * one-line reason; a start failure (e.g. a port in use) exits 1. The demo (simulated devices) and
 * the benchmark are separate jars ({@code demo/}, {@code bench/}); they reuse {@link #config} and
 * {@link #run} so they start and stop like the gateway.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  static final String DEMO_MOVED = "--demo is not part of the gateway jar: run"
      + " java -jar demo/target/hearth-demo.jar [--config FILE]";
  static final String BENCH_MOVED = "the benchmark is not part of the gateway jar: run"
      + " java -jar bench/target/hearth-bench.jar [--quick] [--out DIR]";

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && "bench".equals(args[0])) {
      fail(2, BENCH_MOVED);
    }
    if (args.length > 0 && ("backup".equals(args[0]) || "restore".equals(args[0]))) {
      String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
      System.exit("backup".equals(args[0]) ? io.hearth.gateway.backup.BackupCommand.run(rest)
          : io.hearth.gateway.backup.RestoreCommand.run(rest)); // docs/backup.md
    }
    if (java.util.Arrays.asList(args).contains("--demo")) {
      fail(2, DEMO_MOVED);
    }
    int file = java.util.Arrays.asList(args).indexOf("--config");
    Path configFile = file >= 0 && file + 1 < args.length ? Path.of(args[file + 1]) : Path.of("config/gateway.yaml");
    run(Application.builder(config(args, "hearth-gateway.jar")).configFile(configFile).build(), app -> () -> { });
  }

  /**
   * The configuration named by {@code [--config FILE]} (default {@code config/gateway.yaml}) with
   * {@code HEARTH_*} overrides. {@code --help} prints the usage and exits 0; an unknown argument or a
   * bad configuration exits 2 with one line on stderr.
   *
   * @param jar the jar's name, for the usage line
   */
  public static GatewayConfig config(String[] args, String jar) {
    Path configFile = Path.of("config/gateway.yaml");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config":
          if (i + 1 >= args.length) {
            fail(2, "--config needs a file");
          }
          configFile = Path.of(args[++i]);
          break;
        case "--help":
        case "-h":
          System.out.println("usage: java -jar " + jar + " [--config FILE]");
          System.exit(0);
          break;
        default:
          fail(2, "unknown argument '" + args[i] + "' (usage: [--config FILE])");
      }
    }
    try {
      return new ConfigLoader(System.getenv()).load(configFile);
    } catch (ConfigException e) {
      fail(2, e.getMessage());
      throw e; // not reached
    }
  }

  /**
   * Starts {@code app} (exit 2 on a configuration error, 1 on any other start failure, one line on
   * stderr), then what {@code alongside} starts next to it (e.g. the demo's simulated devices). On
   * SIGTERM closes that first, stops the app cleanly and exits 0.
   */
  public static void run(Application app, Function<Application, AutoCloseable> alongside) {
    // Paho logs through java.util.logging: route it to SLF4J like everything else
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    AutoCloseable extra = null;
    try {
      app.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      extra = alongside.apply(app);
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
      LOG.debug("start failed", cause);
      stopQuietly(app, null);
      fail(cause instanceof ConfigException ? 2 : 1, String.valueOf(cause.getMessage()));
    }
    AutoCloseable companion = extra;
    // SIGTERM: stop cleanly and exit 0 (a JVM ended by the signal itself would exit 143)
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> new Thread(() -> {
      stopQuietly(app, companion);
      System.exit(0);
    }, "hearth-sigterm").start());
    // any other exit (Ctrl-C, System.exit elsewhere) still stops cleanly; stop() is idempotent
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(app, companion), "hearth-shutdown"));
  }

  private static void stopQuietly(Application app, AutoCloseable companion) {
    if (companion != null) {
      try {
        companion.close();
      } catch (Exception e) {
        LOG.warn("did not close cleanly: {}", e.toString());
      }
    }
    try {
      app.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("shutdown did not complete cleanly: {}", e.toString());
    }
  }

  private static void fail(int status, String reason) {
    System.err.println("hearth: " + reason.lines().findFirst().orElse(reason));
    System.exit(status);
  }
}
