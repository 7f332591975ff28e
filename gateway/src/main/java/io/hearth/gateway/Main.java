package io.hearth.gateway;

import io.hearth.gateway.config.ConfigException;
import io.hearth.gateway.config.ConfigLoader;
import io.hearth.gateway.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar hearth-gateway.jar [COMMAND] [OPTIONS]}: {@link #COMMANDS} (default {@code run}:
 * starts the gateway, logs {@code Hearth ready …} once every listener accepts connections, and on
 * SIGTERM stops accepting, ends in-flight commands explicitly, flushes state and exits 0). It runs
 * from any folder: without {@code --config} it reads {@code config/gateway.yaml} if the working
 * folder has one, else the built-in defaults. Exit codes (docs/operations.md#exit-codes): 1 a
 * configuration error, 2 a usage error, 3 a start failure (e.g. a port in use), each with one line on
 * stderr. The demo and the benchmark are separate jars ({@code demo/}, {@code bench/}); they reuse
 * {@link #config} and {@link #run} so they start and stop like the gateway.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  /** A configuration error: a file, an entry or a key is wrong (the message says which and the fix). */
  public static final int EXIT_CONFIG = 1;
  /** A usage error: an unknown command or option, a missing option value. */
  public static final int EXIT_USAGE = 2;
  /** A valid configuration that could not start: a port in use, an address that cannot be bound. */
  public static final int EXIT_START = 3;
  /** Read when no {@code --config} is given and the working folder has it. */
  static final Path DEFAULT_CONFIG = Path.of("config", "gateway.yaml");
  static final String JAR = "hearth-gateway.jar";
  // the help's usage line names the launcher when one sets -Dhearth.command (the .deb's /usr/bin/hearth)
  static final String DEMO_MOVED = "--demo is not part of the gateway jar: run"
      + " java -jar demo/target/hearth-demo.jar [--config FILE]";
  static final String BENCH_MOVED = "the benchmark is not part of the gateway jar: run"
      + " java -jar bench/target/hearth-bench.jar [--quick] [--out DIR]";

  /** One subcommand: its name, its arguments as the help shows them, a line of help, what it runs. */
  public record Command(String name, String arguments, String summary, Consumer<String[]> action) {}

  /** The subcommands, the default first; a new one is one more line here. */
  public static final List<Command> COMMANDS = List.of(
      new Command("run", "[--config FILE]", "start the gateway (the default command)", Main::runGateway),
      new Command("backup", "[--out FILE] [--config FILE]", "write a backup archive, also while the gateway runs"
          + " (docs/backup.md)", args -> System.exit(io.hearth.gateway.backup.BackupCommand.run(args))),
      new Command("restore", "FILE [--dry-run] [--data-only] [--config FILE]", "restore a backup archive with the"
          + " gateway stopped (docs/backup.md)", args -> System.exit(io.hearth.gateway.backup.RestoreCommand.run(args))),
      new Command("help", "", "print this help", args -> help()));

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && "bench".equals(args[0])) {
      fail(EXIT_USAGE, BENCH_MOVED);
    }
    if (Arrays.asList(args).contains("--demo")) {
      fail(EXIT_USAGE, DEMO_MOVED);
    }
    boolean named = args.length > 0 && !args[0].startsWith("-");
    String name = named ? args[0] : COMMANDS.get(0).name();
    Command command = COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    if (command == null) {
      fail(EXIT_USAGE, "unknown command '" + name + "' (commands: "
          + COMMANDS.stream().map(Command::name).collect(Collectors.joining(", ")) + "; see --help)");
      return;
    }
    command.action().accept(named ? Arrays.copyOfRange(args, 1, args.length) : args);
  }

  private static void runGateway(String[] args) {
    int file = Arrays.asList(args).indexOf("--config");
    Path configFile = file >= 0 && file + 1 < args.length ? Path.of(args[file + 1])
        : Files.isRegularFile(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null;
    // the config file in use goes into the daily backup (docs/backup.md)
    run(Application.builder(config(args, JAR)).configFile(configFile).build(), app -> () -> { });
  }

  private static void help() {
    StringBuilder out = new StringBuilder("Hearth gateway: an app API over MQTT and CoAP devices\n\n")
        .append("usage: ").append(System.getProperty("hearth.command", "java -jar " + JAR))
        .append(" [COMMAND] [OPTIONS]\n\ncommands:\n");
    for (Command c : COMMANDS) {
      out.append(String.format("  %-28s %s%n", (c.name() + " " + c.arguments()).trim(), c.summary()));
    }
    System.out.print(out.append('\n').append(options()));
    System.exit(0);
  }

  /** The options, environment and exit codes every jar shares (the demo's help prints them too). */
  private static String options() {
    return """
        options:
          --config FILE   the configuration file (docs/configuration.md); without it
                          config/gateway.yaml in the working folder if there is one,
                          else the built-in defaults
          -h, --help      print this help

        environment:
          HEARTH_<KEY>      overrides a config key, e.g. HEARTH_HTTP_PORT=9000
          STATE_DIRECTORY   the default data.dir (systemd's StateDirectory=); else ./data

        exit codes (docs/operations.md#exit-codes):
          0 stopped cleanly   1 configuration error   2 usage error
          3 start failure (e.g. a port in use)
        """;
  }

  /**
   * The configuration named by {@code [--config FILE]} with {@code HEARTH_*} overrides; without
   * {@code --config}, {@code config/gateway.yaml} if the working folder has it, else the built-in
   * defaults. {@code --help} prints the usage and exits 0; an unknown argument exits 2, a bad
   * configuration (or a {@code --config} file that does not exist) exits 1, each with one line on
   * stderr.
   *
   * @param jar the jar's name, for the usage line
   */
  public static GatewayConfig config(String[] args, String jar) {
    Path configFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config":
          if (i + 1 >= args.length) {
            fail(EXIT_USAGE, "--config needs a file (usage: java -jar " + jar + " [--config FILE])");
          }
          configFile = Path.of(args[++i]);
          break;
        case "--help":
        case "-h":
          if (JAR.equals(jar)) {
            help();
          }
          System.out.print("usage: java -jar " + jar + " [--config FILE]\n\n" + options());
          System.exit(0);
          break;
        default:
          fail(EXIT_USAGE, "unknown argument '" + args[i] + "' (usage: java -jar " + jar + " [--config FILE];"
              + " see --help)");
      }
    }
    ConfigLoader loader = new ConfigLoader(System.getenv());
    try {
      if (configFile != null) {
        return loader.load(configFile);
      }
      if (Files.isRegularFile(DEFAULT_CONFIG)) {
        LOG.info("configuration: {} [folder: {}]", DEFAULT_CONFIG, Path.of("").toAbsolutePath());
        return loader.load(DEFAULT_CONFIG);
      }
      LOG.info("configuration: built-in defaults and HEARTH_* variables (no {} in {}; --config FILE names one)",
          DEFAULT_CONFIG, Path.of("").toAbsolutePath());
      return loader.loadDefaults();
    } catch (ConfigException e) {
      fail(EXIT_CONFIG, e.getMessage());
      throw e; // not reached
    }
  }

  /**
   * Starts {@code app} (exit 1 on a configuration error, 3 on any other start failure, one line on
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
      fail(cause instanceof ConfigException ? EXIT_CONFIG : EXIT_START, String.valueOf(cause.getMessage()));
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
      app.stop().toCompletionStage().toCompletableFuture().get(app.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("shutdown did not complete cleanly: {}", e.toString());
    }
  }

  /** One line on stderr, {@code hearth: reason}, and the exit status (docs/operations.md#exit-codes). */
  public static void fail(int status, String reason) {
    System.err.println("hearth: " + reason.lines().findFirst().orElse(reason));
    System.exit(status);
  }
}
