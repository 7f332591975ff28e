package io.hearth.gateway;

import io.hearth.gateway.config.ConfigException;
import io.hearth.gateway.config.ConfigLoader;
import io.hearth.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar hearth-gateway.jar [--config FILE] [--demo]}: starts the gateway, logs
 * {@code Hearth ready …} once every listener accepts connections, and on SIGTERM stops accepting,
 * ends in-flight commands explicitly, flushes state and exits 0. A bad configuration exits 2 with a
 * one-line reason; a start failure (e.g. a port in use) exits 1. {@code hearth-gateway.jar bench …}
 * runs the benchmark instead ({@link io.hearth.gateway.bench.Bench}).
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && "bench".equals(args[0])) {
      io.hearth.gateway.bench.Bench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    // Paho logs through java.util.logging: route it to SLF4J like everything else
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    Path configFile = Path.of("config/gateway.yaml");
    boolean demo = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config":
          if (i + 1 >= args.length) {
            fail(2, "--config needs a file");
          }
          configFile = Path.of(args[++i]);
          break;
        case "--demo":
          demo = true;
          break;
        case "--help":
        case "-h":
          System.out.println("usage: java -jar hearth-gateway.jar [--config FILE] [--demo]");
          return;
        default:
          fail(2, "unknown argument '" + args[i] + "' (usage: [--config FILE] [--demo])");
      }
    }
    GatewayConfig config = null;
    try {
      config = new ConfigLoader(System.getenv()).load(configFile);
    } catch (ConfigException e) {
      fail(2, e.getMessage());
    }
    Application app = new Application(config, demo);
    try {
      app.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
      LOG.debug("start failed", cause);
      stopQuietly(app);
      fail(cause instanceof ConfigException ? 2 : 1, String.valueOf(cause.getMessage()));
    }
    // SIGTERM: stop cleanly and exit 0 (a JVM ended by the signal itself would exit 143)
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> new Thread(() -> {
      stopQuietly(app);
      System.exit(0);
    }, "hearth-sigterm").start());
    // any other exit (Ctrl-C, System.exit elsewhere) still stops cleanly; stop() is idempotent
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(app), "hearth-shutdown"));
  }

  private static void stopQuietly(Application app) {
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
