package io.hearth.gateway.backup;

import io.hearth.gateway.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code hearth restore FILE [--dry-run] [--data-only] [--config FILE]} (docs/backup.md#restore):
 * checks the archive (manifest, hashes, schema not newer than this gateway's), prints what it
 * changes, and unless {@code --dry-run} replaces the data dir (the old one kept as
 * {@code .before-restore}) and the config files. Refused while a gateway runs on the data dir.
 * Without the config file (a fresh hub), the archive's own {@code gateway.yaml} is used and
 * restored. Exit status 0, 1 (bad or newer archive, bad configuration, I/O), 2 (usage), 3 (the
 * gateway runs on the data dir).
 */
public final class RestoreCommand {
  static final String USAGE = "usage: hearth restore FILE [--dry-run] [--data-only] [--config FILE]";

  private RestoreCommand() {}

  /** Runs the command; returns its exit status. */
  public static int run(String[] args) {
    return run(args, Cli.system());
  }

  /** Runs the command with its output and error lines going to these streams; returns its exit status. */
  public static int run(String[] args, java.io.PrintStream out, java.io.PrintStream err) {
    return run(args, new Cli(out, err, System.getenv()));
  }

  static int run(String[] args, Cli cli) {
    Path archive = null;
    Path configFile = Cli.DEFAULT_CONFIG;
    boolean dryRun = false;
    boolean withConfig = true;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (Cli.isHelp(a)) {
        cli.print(USAGE);
        return Cli.OK;
      } else if (a.equals("--dry-run")) {
        dryRun = true;
      } else if (a.equals("--data-only")) {
        withConfig = false;
      } else if (a.equals("--config") && Cli.value(args, i) != null) {
        configFile = Path.of(args[++i]);
      } else if (!a.startsWith("-") && archive == null) {
        archive = Path.of(a);
      } else {
        return cli.fail(Cli.USAGE, "unknown or incomplete argument '" + a + "' (" + USAGE + ")");
      }
    }
    if (archive == null) {
      return cli.fail(Cli.USAGE, "name the backup archive to restore (" + USAGE + ")");
    }
    RestorePlan plan = null;
    try {
      GatewayConfig config = config(cli, configFile, archive);
      Path dataDir = config.dataDir().toAbsolutePath().normalize();
      boolean running = DataDirLock.isHeld(dataDir);
      if (running && !dryRun) {
        return cli.fail(Cli.IN_USE, "cannot restore: " + DataDirLock.inUse(dataDir));
      }
      plan = RestorePlan.prepare(config, configFile, archive, withConfig);
      plan.describe().forEach(cli::print);
      warnIfElsewhere(cli, plan, dataDir);
      if (dryRun) {
        cli.print("dry run: nothing written" + (running ? "; the gateway runs on this data dir: stop it before"
            + " restoring" : ""));
        return Cli.OK;
      }
      Restorer.apply(plan, config).forEach(cli::print);
      plan = null; // applied: its staging folder is gone
      cli.print("restore done: start the gateway");
      return Cli.OK;
    } catch (IllegalStateException e) {
      return cli.fail(Cli.IN_USE, "cannot restore: " + e.getMessage());
    } catch (Exception e) {
      return cli.failure(e);
    } finally {
      if (plan != null) {
        try {
          plan.discard();
        } catch (IOException e) {
          cli.fail(Cli.FAILED, "could not remove " + plan.staging() + ": " + e.getMessage());
        }
      }
    }
  }

  /** The config file's configuration; without the file, the archive's own (a fresh hub). */
  private static GatewayConfig config(Cli cli, Path configFile, Path archive) throws IOException {
    if (Files.exists(configFile)) {
      return cli.config(configFile);
    }
    byte[] own = BackupArchive.entry(archive, BackupWriter.CONFIG_FILE);
    if (own == null) {
      return cli.config(configFile); // names the missing file
    }
    Path tmp = Files.createTempFile("hearth-restore-config-", ".yaml");
    try {
      Files.write(tmp, own);
      cli.print("config file " + configFile + " not found: using the archive's (it is restored there)");
      return cli.config(tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * The archive's config file, once restored, is the one the gateway reads at its next start: when it
   * names another data dir than the one restored into, say so.
   */
  private static void warnIfElsewhere(Cli cli, RestorePlan plan, Path dataDir) {
    if (!plan.files().containsKey(BackupWriter.CONFIG_FILE)) {
      return;
    }
    Path theirs = cli.config(plan.staging().resolve(BackupWriter.CONFIG_FILE)).dataDir().toAbsolutePath().normalize();
    if (!theirs.equals(dataDir)) {
      cli.print("warning: the archive's config file sets data.dir " + theirs + ", not " + dataDir
          + ": the restored gateway would use that one (--data-only keeps the current config file)");
    }
  }
}
