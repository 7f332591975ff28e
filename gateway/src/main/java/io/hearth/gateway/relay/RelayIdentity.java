package io.hearth.gateway.relay;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Who this hub is at the relay (docs/relay.md, "Linking a hub"): a random 128-bit hub id made once,
 * and the hub key the relay gave when it was linked, both in {@code <data.dir>/relay.json}
 * (owner-only); plus the one-time link code the owner asked for, in memory only. Blocking file I/O:
 * call from a worker.
 */
final class RelayIdentity {
  static final String FILE = "relay.json";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path file;
  private final Clock clock;
  private String hubId;
  private String hubKey;
  private String linkCode;
  private Instant linkCodeExpires;

  RelayIdentity(Path dataDir, Clock clock) {
    this.file = dataDir.resolve(FILE);
    this.clock = clock;
  }

  /** Reads the file, or makes the hub id (no key yet) when there is none. */
  synchronized void load() throws IOException {
    if (Files.exists(file)) {
      JsonObject j = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      hubId = j.getString("hubId");
      hubKey = j.getString("hubKey");
    }
    if (hubId == null || !hubId.matches("[a-z0-9]{16,64}")) {
      byte[] b = new byte[16];
      RANDOM.nextBytes(b);
      hubId = HexFormat.of().formatHex(b);
      hubKey = null;
      write();
    }
  }

  synchronized String hubId() {
    return hubId;
  }

  synchronized Optional<String> hubKey() {
    return Optional.ofNullable(hubKey);
  }

  /** Keeps the key the relay gave; the link code is spent. */
  synchronized void linked(String key) throws IOException {
    hubKey = key;
    linkCode = null;
    write();
  }

  /** A new one-time link code, valid {@code ttl}; replaces any earlier one. */
  synchronized String newLinkCode(Duration ttl) {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    linkCode = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    linkCodeExpires = clock.instant().plus(ttl);
    return linkCode;
  }

  synchronized Instant linkCodeExpires() {
    return linkCodeExpires;
  }

  /** The link code while it is valid. */
  synchronized Optional<String> linkCode() {
    if (linkCode != null && clock.instant().isAfter(linkCodeExpires)) {
      linkCode = null;
    }
    return Optional.ofNullable(linkCode);
  }

  private void write() throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(FILE + ".tmp");
    JsonObject j = new JsonObject().put("hubId", hubId);
    if (hubKey != null) {
      j.put("hubKey", hubKey);
    }
    Files.writeString(tmp, j.encodePrettily(), StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
