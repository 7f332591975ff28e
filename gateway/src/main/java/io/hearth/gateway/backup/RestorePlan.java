package io.hearth.gateway.backup;

import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.store.SqliteBackup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A restore worked out but not yet done (docs/backup.md#restore): the archive checked and extracted
 * into a staging folder next to the data dir, and what it would change, for {@code --dry-run} to
 * print and {@link Restorer} to apply. {@link #discard()} removes the staging folder.
 *
 * @param manifest the archive's manifest
 * @param dataDir  the data dir to replace (absolute)
 * @param staging  the extracted archive: {@code data/} becomes the new data dir, {@code config/} the
 *                 config files
 * @param before   the database now in the data dir
 * @param after    the archive's database
 * @param files    the configuration files the restore writes: archive name → file it replaces
 */
public record RestorePlan(BackupManifest manifest, Path dataDir, Path staging, SqliteBackup.Summary before,
    SqliteBackup.Summary after, Map<String, Path> files) {

  /**
   * Checks and extracts {@code archive} next to the data dir of {@code config}.
   *
   * @param configFile the config file the archive's {@code gateway.yaml} replaces (null: not restored)
   * @param withConfig whether the config file, devices file and profiles are restored too
   * @throws ArchiveException if the archive is damaged, not Hearth's, or its schema is newer than this
   *                          gateway knows
   */
  public static RestorePlan prepare(GatewayConfig config, Path configFile, Path archive, boolean withConfig)
      throws IOException {
    BackupManifest head = BackupArchive.manifest(archive);
    refuseNewer(archive, head);
    Path dataDir = config.dataDir().toAbsolutePath().normalize();
    Files.createDirectories(dataDir.getParent());
    Path staging = Files.createTempDirectory(dataDir.getParent(), "." + dataDir.getFileName() + ".restore-");
    try {
      BackupManifest manifest = BackupArchive.extract(archive, staging);
      Path newDb = staging.resolve(BackupWriter.DATA + BackupWriter.DB);
      if (manifest.file(BackupWriter.DATA + BackupWriter.DB) == null) {
        throw new ArchiveException(archive + " holds no database (data/hearth.db)");
      }
      SqliteBackup.Summary after = SqliteBackup.summary(newDb);
      if (after.schemaVersion() != manifest.schemaVersion()) {
        throw new ArchiveException(archive + ": its database has schema version " + after.schemaVersion()
            + ", its manifest says " + manifest.schemaVersion() + " (the archive is damaged)");
      }
      SqliteBackup.Summary before = SqliteBackup.summary(dataDir.resolve(BackupWriter.DB));
      Map<String, Path> files = new java.util.TreeMap<>();
      if (withConfig) {
        for (BackupManifest.Entry e : manifest.files()) {
          Path target = configTarget(e.path(), config, configFile);
          if (target != null) {
            files.put(e.path(), target);
          }
        }
      }
      return new RestorePlan(manifest, dataDir, staging, before, after, files);
    } catch (SQLException e) {
      BackupWriter.deleteTree(staging);
      throw new ArchiveException(archive + ": its database cannot be read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      BackupWriter.deleteTree(staging);
      throw e;
    }
  }

  /** Refuses an archive written by a gateway with a newer database schema. */
  static void refuseNewer(Path archive, BackupManifest manifest) {
    int latest = SqliteBackup.latestSchema();
    if (manifest.schemaVersion() > latest) {
      throw new ArchiveException(archive + " has database schema " + manifest.schemaVersion() + ", newer than this"
          + " gateway knows (" + latest + "): restore it with Hearth " + manifest.gatewayVersion() + " or newer");
    }
  }

  private static Path configTarget(String name, GatewayConfig config, Path configFile) {
    if (name.equals(BackupWriter.CONFIG_FILE)) {
      return configFile;
    }
    if (name.equals(BackupWriter.DEVICES_FILE)) {
      return config.devices();
    }
    if (name.startsWith(BackupWriter.PROFILES)) {
      return config.profiles().resolve(name.substring(BackupWriter.PROFILES.length())).normalize();
    }
    return null;
  }

  /** What the restore changes, one line per kind, for people. */
  public List<String> describe() throws IOException {
    List<String> out = new ArrayList<>();
    out.add("archive: created " + manifest.createdAt() + " by Hearth " + manifest.gatewayVersion() + ", schema "
        + manifest.schemaVersion() + ", " + manifest.files().size() + " files");
    out.add("data dir: " + dataDir + (Files.exists(dataDir) ? " (the current one is kept as "
        + Restorer.beforeRestore(dataDir).getFileName() + ")" : " (new)"));
    out.add("devices: " + diff(before.devices(), after.devices(), false));
    out.add("users: " + diff(before.users(), after.users(), true));
    out.add("history points: " + before.historyPoints() + " -> " + after.historyPoints());
    out.add("commands: " + before.commands() + " -> " + after.commands());
    out.add("events: " + before.events() + " -> " + after.events());
    List<String> data = new ArrayList<>();
    for (BackupManifest.Entry e : manifest.files()) {
      if (e.path().startsWith(BackupWriter.DATA) && !e.path().equals(BackupWriter.DATA + BackupWriter.DB)) {
        String name = e.path().substring(BackupWriter.DATA.length());
        data.add(name + " " + status(dataDir.resolve(name), e.sha256()));
      }
    }
    out.add("data files: " + (data.isEmpty() ? "none" : String.join(", ", data)));
    if (files.isEmpty()) {
      out.add("config files: not restored");
    }
    int unchanged = 0;
    for (Map.Entry<String, Path> f : files.entrySet()) {
      String status = status(f.getValue(), manifest.file(f.getKey()).sha256());
      if (status.equals("unchanged")) {
        unchanged++;
      } else {
        out.add("config file: " + f.getValue() + " " + status
            + (status.equals("changed") ? " (the current one is kept as .before-restore)" : ""));
      }
    }
    if (unchanged > 0) {
      out.add("config files unchanged: " + unchanged);
    }
    return out;
  }

  /** Removes the staging folder (after a dry run, a refusal, or the restore). */
  public void discard() throws IOException {
    BackupWriter.deleteTree(staging);
  }

  /** {@code added}, {@code changed} or {@code unchanged}: the file on disk against the archive's hash. */
  static String status(Path current, String sha256) throws IOException {
    if (!Files.isRegularFile(current)) {
      return "added";
    }
    return BackupArchive.sha256(current).equals(sha256) ? "unchanged" : "changed";
  }

  /**
   * "2 added (a, b), 1 removed (c), 0 changed, 3 unchanged", naming each by its key, or by its value
   * ({@code byValue}: users by "name (role)" rather than their ids).
   */
  static String diff(Map<String, String> before, Map<String, String> after, boolean byValue) {
    Set<String> added = new TreeSet<>(after.keySet());
    added.removeAll(before.keySet());
    Set<String> removed = new TreeSet<>(before.keySet());
    removed.removeAll(after.keySet());
    Set<String> changed = new TreeSet<>();
    int same = 0;
    for (Map.Entry<String, String> e : after.entrySet()) {
      if (before.containsKey(e.getKey())) {
        if (Objects.equals(before.get(e.getKey()), e.getValue())) {
          same++;
        } else {
          changed.add(e.getKey());
        }
      }
    }
    return part(added, "added", byValue ? after : null) + ", " + part(removed, "removed", byValue ? before : null)
        + ", " + part(changed, "changed", byValue ? after : null) + ", " + same + " unchanged";
  }

  private static String part(Set<String> ids, String what, Map<String, String> names) {
    List<String> shown = ids.stream().map(id -> names == null ? id : names.get(id)).sorted().toList();
    return ids.size() + " " + what + (ids.isEmpty() ? "" : " (" + String.join(", ", shown) + ")");
  }
}
