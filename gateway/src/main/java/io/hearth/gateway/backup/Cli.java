package io.hearth.gateway.backup;

import io.hearth.gateway.config.ConfigException;
import io.hearth.gateway.config.ConfigLoader;
import io.hearth.gateway.config.GatewayConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** What {@code hearth backup} and {@code hearth restore} share: exit statuses, messages, the config. */
final class Cli {
  static final int OK = 0;
  /** A bad or too new archive, a bad configuration, an I/O failure. */
  static final int FAILED = 1;
  static final int USAGE = 2;
  /** The gateway runs on the data dir: stop it first. */
  static final int IN_USE = 3;
  static final Path DEFAULT_CONFIG = Path.of("config/gateway.yaml");

  private final PrintStream out;
  private final PrintStream err;
  private final Map<String, String> env;

  Cli(PrintStream out, PrintStream err, Map<String, String> env) {
    this.out = out;
    this.err = err;
    this.env = env;
  }

  static Cli system() {
    return new Cli(System.out, System.err, System.getenv());
  }

  void print(String line) {
    out.println(line);
  }

  /** One line on stderr, {@code hearth: <reason>}; returns {@code status}. */
  int fail(int status, String reason) {
    err.println("hearth: " + reason.lines().findFirst().orElse(reason));
    return status;
  }

  /**
   * The configuration of {@code file} with the {@code HEARTH_*} environment overrides; without the
   * default file, the built-in defaults (like the gateway's own start, docs/configuration.md).
   */
  GatewayConfig config(Path file) {
    ConfigLoader loader = new ConfigLoader(env);
    return file.equals(DEFAULT_CONFIG) && !java.nio.file.Files.exists(file) ? loader.loadDefaults() : loader.load(file);
  }

  /** The value after an option, or null when there is none. */
  static String value(String[] args, int i) {
    return i + 1 < args.length ? args[i + 1] : null;
  }

  static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  /** A thrown failure as an exit status: a configuration or archive problem is 1. */
  int failure(Exception e) {
    if (e instanceof ConfigException || e instanceof ArchiveException) {
      return fail(FAILED, e.getMessage());
    }
    return fail(FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
  }
}
