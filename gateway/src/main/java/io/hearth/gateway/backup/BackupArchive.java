package io.hearth.gateway.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A backup archive: one zip file, {@code manifest.json} first, then the files it lists
 * (docs/backup.md#the-archive). Written to a temporary file and moved into place, readable by its
 * owner only: it holds device credentials and the token signing key.
 */
final class BackupArchive {
  private BackupArchive() {}

  /**
   * Writes {@code files} (archive name → file on disk) to {@code out} with their manifest.
   *
   * @return the manifest written
   */
  static BackupManifest write(Path out, int schemaVersion, String gatewayVersion, Instant createdAt,
      Map<String, Path> files) throws IOException {
    List<BackupManifest.Entry> entries = new ArrayList<>();
    for (Map.Entry<String, Path> f : files.entrySet()) {
      entries.add(new BackupManifest.Entry(f.getKey(), Files.size(f.getValue()), sha256(f.getValue())));
    }
    BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT, schemaVersion, gatewayVersion, createdAt,
        entries);
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve(out.getFileName() + ".tmp");
    createPrivate(tmp);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
      zip.putNextEntry(new ZipEntry(BackupManifest.NAME));
      zip.write(manifest.toJson());
      zip.closeEntry();
      for (Map.Entry<String, Path> f : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(f.getKey()));
        Files.copy(f.getValue(), zip);
        zip.closeEntry();
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return manifest;
  }

  /** Reads only the manifest of {@code archive}. */
  static BackupManifest manifest(Path archive) {
    try (ZipFile zip = open(archive)) {
      return manifest(zip, archive);
    } catch (IOException e) {
      throw new ArchiveException("cannot read " + archive + ": " + e.getMessage(), e);
    }
  }

  /** The bytes of one entry the manifest lists (unchecked), or null when there is none. */
  static byte[] entry(Path archive, String name) {
    try (ZipFile zip = open(archive)) {
      ZipEntry e = manifest(zip, archive).file(name) == null ? null : zip.getEntry(name);
      if (e == null) {
        return null;
      }
      try (InputStream in = zip.getInputStream(e)) {
        return in.readAllBytes();
      }
    } catch (IOException e) {
      throw new ArchiveException("cannot read " + archive + ": " + e.getMessage(), e);
    }
  }

  /**
   * Extracts every file of {@code archive} into {@code dir} (names as in the archive), checking each
   * against the manifest: a file missing, extra, of another size or hash, or named outside the
   * folder refuses the archive.
   */
  static BackupManifest extract(Path archive, Path dir) {
    try (ZipFile zip = open(archive)) {
      BackupManifest manifest = manifest(zip, archive);
      Enumeration<? extends ZipEntry> all = zip.entries();
      while (all.hasMoreElements()) {
        String name = all.nextElement().getName();
        if (!name.equals(BackupManifest.NAME) && manifest.file(name) == null) {
          throw new ArchiveException(archive + ": entry '" + name + "' is not in the manifest");
        }
      }
      for (BackupManifest.Entry e : manifest.files()) {
        Path target = dir.resolve(e.path()).normalize();
        ZipEntry entry = zip.getEntry(e.path());
        if (!target.startsWith(dir) || e.path().contains("\\") || entry == null || entry.isDirectory()) {
          throw new ArchiveException(archive + ": manifest entry '" + e.path() + "' is missing or not a plain file");
        }
        Files.createDirectories(target.getParent());
        createPrivate(target);
        try (InputStream in = zip.getInputStream(entry); OutputStream o = Files.newOutputStream(target)) {
          in.transferTo(o);
        }
        if (Files.size(target) != e.size() || !sha256(target).equals(e.sha256())) {
          throw new ArchiveException(archive + ": '" + e.path() + "' does not match its SHA-256 in the manifest"
              + " (the archive is damaged)");
        }
      }
      return manifest;
    } catch (IOException e) {
      throw new ArchiveException("cannot read " + archive + ": " + e.getMessage(), e);
    }
  }

  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** Creates an empty file readable by its owner only (where the file system has POSIX permissions). */
  static void createPrivate(Path file) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("created meanwhile: " + file, e);
    }
  }

  private static ZipFile open(Path archive) {
    if (!Files.isRegularFile(archive)) {
      throw new ArchiveException("no backup archive at " + archive);
    }
    try {
      return new ZipFile(archive.toFile());
    } catch (IOException e) {
      throw new ArchiveException(archive + " is not a Hearth backup archive (not a zip file: " + e.getMessage() + ")",
          e);
    }
  }

  private static BackupManifest manifest(ZipFile zip, Path archive) throws IOException {
    ZipEntry m = zip.getEntry(BackupManifest.NAME);
    if (m == null) {
      throw new ArchiveException(archive + " is not a Hearth backup archive (no manifest.json)");
    }
    BackupManifest manifest;
    try (InputStream in = zip.getInputStream(m)) {
      manifest = BackupManifest.parse(in.readAllBytes());
    }
    if (manifest.formatVersion() > BackupManifest.FORMAT) {
      throw new ArchiveException(archive + " has archive format " + manifest.formatVersion() + ", newer than this"
          + " gateway reads (" + BackupManifest.FORMAT + "); restore it with the Hearth version that wrote it ("
          + manifest.gatewayVersion() + ") or newer");
    }
    return manifest;
  }
}
