package io.hearth.gateway.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/** Random secrets, codes, hashes and owner-only files. Thread-safe. */
final class Secrets {
  /** Letters and digits that cannot be mistaken for one another (as {@code PairingCode} uses). */
  private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** {@code bytes} random bytes, URL-safe base64 without padding. */
  static String token(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** A typeable code of {@code groups} groups of 4 characters, e.g. {@code K7QX-M2PA-9RTE}. */
  static String code(int groups) {
    StringBuilder sb = new StringBuilder(groups * 5);
    for (int i = 0; i < groups * 4; i++) {
      if (i > 0 && i % 4 == 0) {
        sb.append('-');
      }
      sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }

  /**
   * A code as typed, normalised (codes are compared after this, docs/security.md): spaces and dashes
   * dropped, upper case, then a dash after every 4 characters again, so {@code k7qx m2pa},
   * {@code K7QXM2PA} and {@code K7QX-M2PA} are one code (and a generated code is its own normal form).
   */
  static String normaliseCode(String code) {
    String bare = code.replaceAll("[\\s\\-]", "").toUpperCase(Locale.ROOT);
    StringBuilder sb = new StringBuilder(bare.length() + bare.length() / 4);
    for (int i = 0; i < bare.length(); i++) {
      if (i > 0 && i % 4 == 0) {
        sb.append('-');
      }
      sb.append(bare.charAt(i));
    }
    return sb.toString();
  }

  /** SHA-256 of the UTF-8 bytes, lower-case hex. */
  static String sha256(String s) {
    return HexFormat.of().formatHex(digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  static byte[] digest(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time equality of two strings (time depends on the lengths only). */
  static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code bytes} to {@code file} atomically, readable by this user only (where POSIX). */
  static void writePrivate(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(tmp); // not POSIX: the data folder's own permissions protect it
    }
    Files.write(tmp, bytes);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
