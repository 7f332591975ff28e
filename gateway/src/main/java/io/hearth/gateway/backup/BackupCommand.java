package io.hearth.gateway.backup;

import io.hearth.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.time.Clock;

/**
 * {@code hearth backup [--out FILE] [--config FILE]}: writes a backup archive of the installation
 * the config file names, while its gateway runs or not (docs/backup.md). The command works on the
 * files itself, beside the gateway: SQLite's online backup reads the database from its own
 * connection without stopping the gateway's writes. Exit status 0, 1 (no database, I/O, bad
 * configuration), 2 (usage).
 */
public final class BackupCommand {
  static final String USAGE = "usage: hearth backup [--out FILE] [--config FILE]";

  private BackupCommand() {}

  /** Runs the command; returns its exit status. */
  public static int run(String[] args) {
    return run(args, Cli.system(), Clock.systemUTC());
  }

  /** Runs the command with its output and error lines going to these streams; returns its exit status. */
  public static int run(String[] args, java.io.PrintStream out, java.io.PrintStream err) {
    return run(args, new Cli(out, err, System.getenv()), Clock.systemUTC());
  }

  static int run(String[] args, Cli cli, Clock clock) {
    Path out = null;
    Path configFile = Cli.DEFAULT_CONFIG;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (Cli.isHelp(a)) {
        cli.print(USAGE);
        return Cli.OK;
      } else if ((a.equals("--out") || a.equals("--config")) && Cli.value(args, i) != null) {
        Path p = Path.of(args[++i]);
        if (a.equals("--out")) {
          out = p;
        } else {
          configFile = p;
        }
      } else {
        return cli.fail(Cli.USAGE, "unknown or incomplete argument '" + a + "' (" + USAGE + ")");
      }
    }
    try {
      GatewayConfig config = cli.config(configFile);
      if (out == null) {
        out = config.backup().dir(config.dataDir()).resolve(DailyBackup.fileName(clock.instant()));
      }
      BackupManifest m = new BackupWriter(config, configFile, clock).write(out);
      long bytes = java.nio.file.Files.size(out);
      cli.print("backup written: " + out + " (" + m.files().size() + " files, " + bytes + " bytes, schema "
          + m.schemaVersion() + ")");
      return Cli.OK;
    } catch (Exception e) {
      return cli.failure(e);
    }
  }
}
