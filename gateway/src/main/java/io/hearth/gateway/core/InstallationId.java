package io.hearth.gateway.core;

import io.hearth.gateway.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * This installation's id: 16 random hex digits made at the first start and kept in
 * {@code <data.dir>/installation-id} (docs/operations.md). It makes the gateway's MQTT client id
 * unique ({@code hearth-gateway-<id>}), so another installation or a tool on the same external broker
 * using a plain {@code hearth-gateway} does not take the gateway's session over.
 */
public final class InstallationId {
  static final String FILE = "installation-id";
  private static final Pattern VALID = Pattern.compile("[0-9a-f]{16}");

  private InstallationId() {}

  /** The id kept in the data folder; made and written (atomically) when there is none or it is not valid. */
  public static String ensure(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    try {
      if (Files.exists(file)) {
        String existing = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (VALID.matcher(existing).matches()) {
          return existing;
        }
      }
      byte[] b = new byte[8];
      new SecureRandom().nextBytes(b);
      String id = HexFormat.of().formatHex(b);
      Path tmp = dataDir.resolve(FILE + ".tmp");
      Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return id;
    } catch (IOException e) {
      throw new ConfigException("config key 'data.dir': cannot write " + file + ": " + e.getMessage());
    }
  }

  /** The gateway's MQTT client id for this installation. */
  public static String mqttClientId(String installationId) {
    return "hearth-gateway-" + installationId;
  }
}
