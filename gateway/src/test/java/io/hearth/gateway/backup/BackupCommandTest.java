package io.hearth.gateway.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hearth backup} and {@code hearth restore} on files, without a gateway: what goes in, what is refused. */
class BackupCommandTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T15:00:00Z"), ZoneOffset.UTC);
  @TempDir
  Path dir;

  @Test
  void theArchiveHoldsTheDatabaseTheDataFilesAndTheConfigWithAManifest() throws Exception {
    // GIVEN an installation with secrets in its data dir, a broker folder, a lock and daily backups
    Path config = BackupFiles.config(dir, "");
    Path data = dir.resolve("data");
    BackupFiles.database(data, BackupFiles.latest(), 5, "lamp");
    Files.writeString(data.resolve("pairing-code"), "ABCD-EFGH\n");
    Files.createDirectories(data.resolve("tls"));
    Files.writeString(data.resolve("tls/self-signed.p12"), "key material");
    Files.createDirectories(data.resolve("broker/conf"));
    Files.writeString(data.resolve("broker/conf/config.xml"), "<hivemq/>");
    Files.createDirectories(data.resolve("backups"));
    Files.writeString(data.resolve("backups/hearth-backup-20261202T033000Z.zip"), "older");
    Files.writeString(data.resolve(DataDirLock.FILE), "");
    Files.writeString(dir.resolve("profiles/my.yaml"), "id: my\n");

    // WHEN a backup is written
    BackupFiles.Captured out = new BackupFiles.Captured();
    Path archive = dir.resolve("b.zip");
    assertEquals(0, BackupCommand.run(new String[] {"--config", config.toString(), "--out", archive.toString()},
        out.cli, CLOCK), out::text);

    // THEN its manifest lists exactly what belongs to the installation, with sizes and hashes
    BackupManifest m = BackupArchive.manifest(archive);
    assertEquals(List.of("config/devices.yaml", "config/gateway.yaml", "config/profiles/my.yaml", "data/hearth.db",
        "data/pairing-code", "data/tls/self-signed.p12"), m.files().stream().map(BackupManifest.Entry::path).toList());
    assertEquals(BackupFiles.latest(), m.schemaVersion());
    assertEquals(Instant.parse("2026-12-03T15:00:00Z"), m.createdAt());
    assertEquals(BackupArchive.sha256(config), m.file("config/gateway.yaml").sha256());
    assertEquals(Files.size(config), m.file("config/gateway.yaml").size());
    // AND the archive is private, and nothing temporary is left next to it
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(archive)));
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".hearth-backup-")
          || p.getFileName().toString().endsWith(".tmp")));
    }
  }

  @Test
  void noDatabaseIsExitOneNamingTheFile() throws Exception {
    Path config = BackupFiles.config(dir, "");
    BackupFiles.Captured out = new BackupFiles.Captured();
    assertEquals(1, BackupCommand.run(new String[] {"--config", config.toString(), "--out", "x.zip"}, out.cli, CLOCK));
    assertTrue(out.text().startsWith("hearth: cannot back up " + dir.resolve("data/hearth.db")), out::text);
  }

  @Test
  void badArgumentsAreExitTwo() {
    BackupFiles.Captured out = new BackupFiles.Captured();
    assertEquals(2, BackupCommand.run(new String[] {"--out"}, out.cli, CLOCK));
    assertEquals(2, BackupCommand.run(new String[] {"--frobnicate"}, out.cli, CLOCK));
    assertEquals(2, RestoreCommand.run(new String[] {}, out.cli));
    assertEquals(2, RestoreCommand.run(new String[] {"a.zip", "b.zip"}, out.cli));
    assertEquals(0, RestoreCommand.run(new String[] {"--help"}, out.cli));
    assertTrue(out.text().contains(RestoreCommand.USAGE), out::text);
  }

  @Test
  void anArchiveWithANewerSchemaIsRefusedWithExitOne() throws Exception {
    // GIVEN an archive written by a gateway whose schema is one ahead of this one
    Path newer = BackupFiles.database(dir.resolve("newer"), BackupFiles.latest() + 1, 0, "lamp");
    Path archive = dir.resolve("newer.zip");
    BackupArchive.write(archive, BackupFiles.latest() + 1, "9.0.0", Instant.now(), Map.of("data/hearth.db", newer));
    Path config = BackupFiles.config(dir.resolve("hub"), "");

    // WHEN it is restored, dry run or not
    for (String[] args : List.of(new String[] {archive.toString(), "--config", config.toString()},
        new String[] {archive.toString(), "--dry-run", "--config", config.toString()})) {
      BackupFiles.Captured out = new BackupFiles.Captured();
      // THEN exit 1 naming both versions and the Hearth that wrote it; nothing written
      assertEquals(1, RestoreCommand.run(args, out.cli), out::text);
      assertTrue(out.text().contains("has database schema " + (BackupFiles.latest() + 1) + ", newer than this gateway"
          + " knows (" + BackupFiles.latest() + "): restore it with Hearth 9.0.0 or newer"), out::text);
      assertFalse(Files.exists(dir.resolve("hub/data")));
    }
  }

  @Test
  void aDamagedOrForeignArchiveIsRefusedWithExitOne() throws Exception {
    // GIVEN an archive whose database was changed after the manifest was written
    Path db = BackupFiles.database(dir.resolve("src"), BackupFiles.latest(), 1, "lamp");
    Path archive = dir.resolve("a.zip");
    BackupArchive.write(archive, BackupFiles.latest(), "dev", Instant.now(), Map.of("data/hearth.db", db));
    Path tampered = dir.resolve("t.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tampered))) {
      zip.putNextEntry(new ZipEntry(BackupManifest.NAME));
      zip.write(BackupArchive.manifest(archive).toJson());
      zip.putNextEntry(new ZipEntry("data/hearth.db"));
      zip.write("not the same bytes".getBytes());
    }
    Path config = BackupFiles.config(dir.resolve("hub"), "");
    BackupFiles.Captured out = new BackupFiles.Captured();
    assertEquals(1, RestoreCommand.run(new String[] {tampered.toString(), "--config", config.toString()}, out.cli));
    assertTrue(out.text().contains("does not match its SHA-256"), out::text);
    // AND a zip that is not a backup, and a file that is not a zip
    Path foreign = dir.resolve("f.zip");
    try (OutputStream o = Files.newOutputStream(foreign); ZipOutputStream zip = new ZipOutputStream(o)) {
      zip.putNextEntry(new ZipEntry("readme.txt"));
    }
    assertEquals(1, RestoreCommand.run(new String[] {foreign.toString(), "--config", config.toString()}, out.cli));
    assertTrue(out.text().contains("is not a Hearth backup archive (no manifest.json)"), out::text);
    assertEquals(1, RestoreCommand.run(new String[] {config.toString(), "--config", config.toString()}, out.cli));
    // AND no staging folder is left behind
    try (Stream<Path> files = Files.list(dir.resolve("hub"))) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".restore-")));
    }
  }

  @Test
  void restoreReplacesTheDataDirKeepsTheOldOneAndCarriesTheBackupsOver() throws Exception {
    // GIVEN a hub with its own database, a daily backup, and an archive from another hub
    Path other = dir.resolve("other");
    Path otherConfig = BackupFiles.config(other, "");
    BackupFiles.database(other.resolve("data"), BackupFiles.latest(), 7, "lamp", "plug");
    Path archive = dir.resolve("other.zip");
    assertEquals(0, BackupCommand.run(new String[] {"--config", otherConfig.toString(), "--out", archive.toString()},
        new BackupFiles.Captured().cli, CLOCK));
    Path hub = dir.resolve("hub");
    Path config = BackupFiles.config(hub, "");
    BackupFiles.database(hub.resolve("data"), BackupFiles.latest(), 2, "lamp", "fan");
    Files.createDirectories(hub.resolve("data/backups"));
    Files.writeString(hub.resolve("data/backups/hearth-backup-20261201T033000Z.zip"), "mine");

    // WHEN a dry run, then the restore (data only: the config files stay)
    BackupFiles.Captured dry = new BackupFiles.Captured();
    assertEquals(0, RestoreCommand.run(new String[] {archive.toString(), "--dry-run", "--data-only", "--config",
        config.toString()}, dry.cli), dry::text);
    assertTrue(dry.text().contains("devices: 1 added (plug), 1 removed (fan), 0 changed, 1 unchanged"), dry::text);
    assertTrue(dry.text().contains("history points: 2 -> 7"), dry::text);
    assertEquals(2, io.hearth.gateway.store.SqliteBackup.summary(hub.resolve("data/hearth.db")).historyPoints());
    BackupFiles.Captured out = new BackupFiles.Captured();
    assertEquals(0, RestoreCommand.run(new String[] {archive.toString(), "--data-only", "--config",
        config.toString()}, out.cli), out::text);

    // THEN the data dir holds the archive's database, the old one is kept, the backups moved along
    assertEquals(7, io.hearth.gateway.store.SqliteBackup.summary(hub.resolve("data/hearth.db")).historyPoints());
    assertEquals(2, io.hearth.gateway.store.SqliteBackup.summary(hub.resolve("data.before-restore/hearth.db"))
        .historyPoints());
    assertEquals("mine", Files.readString(hub.resolve("data/backups/hearth-backup-20261201T033000Z.zip")));
    assertTrue(Files.readString(config).contains(hub.resolve("data").toString()), "config file replaced");
    // AND the gateway's lock can be taken on the restored data dir
    try (DataDirLock lock = DataDirLock.acquire(hub.resolve("data"))) {
      assertNotNull(lock);
      assertThrows(IllegalStateException.class, () -> DataDirLock.acquire(hub.resolve("data")));
      assertTrue(DataDirLock.isHeld(hub.resolve("data")));
    }
    assertFalse(DataDirLock.isHeld(hub.resolve("data")));
    assertNull(BackupArchive.entry(archive, "data/none"));
  }

  @Test
  void aFreshHubWithoutAConfigFileTakesTheArchivesOwn() throws Exception {
    // GIVEN an archive, and a hub where the named config file does not exist yet
    Path config = BackupFiles.config(dir.resolve("old"), "backup:\n  keep: 4\n");
    BackupFiles.database(dir.resolve("old/data"), BackupFiles.latest(), 1, "lamp");
    Path archive = dir.resolve("a.zip");
    assertEquals(0, BackupCommand.run(new String[] {"--config", config.toString(), "--out", archive.toString()},
        new BackupFiles.Captured().cli, CLOCK));
    Path missing = dir.resolve("new/gateway.yaml");

    // WHEN it is restored there
    BackupFiles.Captured out = new BackupFiles.Captured();
    assertEquals(0, RestoreCommand.run(new String[] {archive.toString(), "--config", missing.toString()}, out.cli),
        out::text);

    // THEN the archive's config file is used and written where the missing one was named
    assertTrue(out.text().contains("not found: using the archive's"), out::text);
    assertEquals(Files.readString(config), Files.readString(missing));
    assertEquals(1, io.hearth.gateway.store.SqliteBackup.summary(dir.resolve("old/data/hearth.db")).devices().size());
  }
}
