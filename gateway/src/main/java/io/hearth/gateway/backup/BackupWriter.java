package io.hearth.gateway.backup;

import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.store.SqliteBackup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes a backup archive of one installation (docs/backup.md#what-is-in-a-backup), while its
 * gateway runs or not: the database through SQLite's online backup API (one consistent snapshot;
 * the gateway keeps writing meanwhile), the data dir's other files (pairing code, installation id,
 * token signing key, TLS material), the config file, the devices file and the profiles folder.
 * Left out: the embedded broker's folder, the lock file, temporary files and the backups folder.
 */
public final class BackupWriter {
  static final String DB = "hearth.db";
  static final String DATA = "data/";
  static final String CONFIG_FILE = "config/gateway.yaml";
  static final String DEVICES_FILE = "config/devices.yaml";
  static final String PROFILES = "config/profiles/";
  /** Files of the data dir that are never copied as files (the database goes through SQLite). */
  private static final List<String> SKIPPED = List.of(DB, DB + "-wal", DB + "-shm", DB + "-journal", DataDirLock.FILE);

  private final GatewayConfig config;
  private final Path configFile;
  private final Clock clock;

  /**
   * @param configFile the configuration file in use, or null when there is none
   */
  public BackupWriter(GatewayConfig config, Path configFile, Clock clock) {
    this.config = config;
    this.configFile = configFile;
    this.clock = clock;
  }

  /** The version of this gateway, as its jar names it ({@code dev} from a build folder). */
  public static String gatewayVersion() {
    String v = BackupWriter.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /**
   * Writes the archive to {@code out} (replacing it; the archive appears whole or not at all).
   *
   * @throws ArchiveException if there is no database to back up or SQLite cannot copy it
   */
  public BackupManifest write(Path out) throws IOException {
    Path dataDir = config.dataDir().toAbsolutePath().normalize();
    Path outDir = out.toAbsolutePath().normalize().getParent();
    Files.createDirectories(outDir);
    Path staging = Files.createTempDirectory(outDir, ".hearth-backup-");
    try {
      Path dbCopy = staging.resolve(DB);
      int schema;
      try {
        schema = SqliteBackup.copy(dataDir.resolve(DB), dbCopy);
      } catch (SQLException e) {
        throw new ArchiveException("cannot back up " + dataDir.resolve(DB) + ": " + e.getMessage(), e);
      }
      Map<String, Path> files = new TreeMap<>();
      files.put(DATA + DB, dbCopy);
      dataFiles(dataDir, files, p -> p.startsWith(staging) || p.equals(out.toAbsolutePath().normalize()));
      if (configFile != null && Files.isRegularFile(configFile)) {
        files.put(CONFIG_FILE, configFile);
      }
      if (Files.isRegularFile(config.devices())) {
        files.put(DEVICES_FILE, config.devices());
      }
      folder(config.profiles(), PROFILES, files, p -> true);
      return BackupArchive.write(out, schema, gatewayVersion(), clock.instant().truncatedTo(ChronoUnit.MILLIS), files);
    } finally {
      deleteTree(staging);
    }
  }

  /** The data dir's own files, except the database, the broker's folder, the backups and temporary files. */
  private void dataFiles(Path dataDir, Map<String, Path> files, java.util.function.Predicate<Path> excluded)
      throws IOException {
    Path backups = config.backup().dir(dataDir).toAbsolutePath().normalize();
    Path broker = dataDir.resolve("broker");
    folder(dataDir, DATA, files, p -> !excluded.test(p) && !p.startsWith(backups) && !p.startsWith(broker)
        && !(p.getParent().equals(dataDir) && SKIPPED.contains(p.getFileName().toString()))
        && !p.getFileName().toString().endsWith(".tmp"));
  }

  private static void folder(Path dir, String prefix, Map<String, Path> files,
      java.util.function.Predicate<Path> keep) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    Path root = dir.toAbsolutePath().normalize();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && keep.test(p)) {
          files.put(prefix + root.relativize(p).toString().replace('\\', '/'), p);
        }
      }
    }
  }

  /** Deletes a folder and everything in it; a folder that is not there is fine. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
