package io.hearth.gateway.backup;

import io.hearth.gateway.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies a {@link RestorePlan} (docs/backup.md#restore): with the data dir's lock held (a gateway
 * that runs on it refuses the restore; one that starts meanwhile refuses to start), renames the
 * data dir to {@code <data.dir>.before-restore} and the staged one into its place, carrying the
 * backups folder over; then replaces each config file that differs, keeping the old one as
 * {@code <file>.before-restore}.
 */
public final class Restorer {
  static final String BEFORE = ".before-restore";

  private Restorer() {}

  /** Where the current data dir goes: {@code .before-restore}, or with a time stamp if that exists. */
  static Path beforeRestore(Path dataDir) {
    Path plain = dataDir.resolveSibling(dataDir.getFileName() + BEFORE);
    if (!Files.exists(plain)) {
      return plain;
    }
    return dataDir.resolveSibling(dataDir.getFileName() + BEFORE + "-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
  }

  /**
   * Replaces the data dir and the config files; returns what was done, one line each.
   *
   * @throws IllegalStateException if a gateway holds the data dir's lock
   */
  public static List<String> apply(RestorePlan plan, GatewayConfig config) throws IOException {
    List<String> done = new ArrayList<>();
    Path dataDir = plan.dataDir();
    Path fresh = plan.staging().resolve("data");
    if (Files.isDirectory(dataDir)) {
      Path kept = beforeRestore(dataDir);
      try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
        Path backups = config.backup().dir(dataDir).toAbsolutePath().normalize();
        Path carried = carryBackups(backups, dataDir, fresh);
        try {
          Files.move(dataDir, kept, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          if (carried != null) {
            Files.move(carried, backups, StandardCopyOption.ATOMIC_MOVE);
          }
          throw new IOException("cannot rename " + dataDir + " to " + kept + " (" + e + "); a data dir that is a"
              + " mount point cannot be renamed: point data.dir at a folder inside the mount (docs/backup.md)", e);
        }
      }
      Files.deleteIfExists(kept.resolve(DataDirLock.FILE));
      done.add("kept the old data dir as " + kept);
    }
    Files.move(fresh, dataDir, StandardCopyOption.ATOMIC_MOVE);
    done.add("restored the data dir " + dataDir);
    for (Map.Entry<String, Path> f : plan.files().entrySet()) {
      Path source = plan.staging().resolve(f.getKey());
      Path target = f.getValue();
      String status = RestorePlan.status(target, plan.manifest().file(f.getKey()).sha256());
      if (status.equals("unchanged")) {
        continue;
      }
      Files.createDirectories(target.toAbsolutePath().getParent());
      if (status.equals("changed")) {
        Files.copy(target, target.resolveSibling(target.getFileName() + BEFORE), StandardCopyOption.REPLACE_EXISTING);
      }
      Path tmp = target.resolveSibling(target.getFileName() + ".restore.tmp");
      Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      done.add("restored " + target + (status.equals("changed") ? " (the old one is " + target.getFileName() + BEFORE
          + ")" : ""));
    }
    plan.discard();
    return done;
  }

  /** The daily backups folder, when it is inside the data dir, moves into the restored one. */
  private static Path carryBackups(Path backups, Path dataDir, Path fresh) throws IOException {
    if (backups.startsWith(dataDir) && !backups.equals(dataDir) && Files.isDirectory(backups)) {
      Path target = fresh.resolve(dataDir.relativize(backups));
      Files.createDirectories(target.getParent());
      Files.move(backups, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    }
    return null;
  }
}
