package io.hearth.gateway.core;

import io.hearth.gateway.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The first pairing code ({@code auth.pairingCode}, {@code docs/configuration.md} and
 * {@code docs/security.md}): from the config if set, else the one generated at an earlier start,
 * else a new one, written to {@code <data.dir>/pairing-code} (owner-only) so the owner can read it
 * on the hub.
 */
public final class PairingCode {
  /** Letters and digits that cannot be mistaken for one another when typed from a screen. */
  private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
  static final String FILE = "pairing-code";

  private PairingCode() {}

  /** The code to use; creates and stores one when neither the config nor the data folder has it. */
  public static String ensure(String configured, Path dataDir) {
    if (configured != null && !configured.isBlank()) {
      return configured.trim();
    }
    Path file = dataDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        String existing = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (!existing.isEmpty()) {
          return existing;
        }
      }
      String code = generate(new SecureRandom());
      Path tmp = dataDir.resolve(FILE + ".tmp");
      Files.writeString(tmp, code + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the data folder's own permissions protect it
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return code;
    } catch (IOException e) {
      throw new ConfigException("config key 'data.dir': cannot write " + file + ": " + e.getMessage());
    }
  }

  static String generate(SecureRandom random) {
    StringBuilder sb = new StringBuilder(9);
    for (int i = 0; i < 8; i++) {
      if (i == 4) {
        sb.append('-');
      }
      sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }
}
