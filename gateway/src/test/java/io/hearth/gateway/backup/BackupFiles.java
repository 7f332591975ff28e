package io.hearth.gateway.backup;

import io.hearth.gateway.config.ConfigLoader;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.store.SqliteBackup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

/** Small installations on disk for the backup tests: a config file, a data dir, a database. */
final class BackupFiles {
  private BackupFiles() {}

  /** A config file naming {@code <dir>/data}, {@code <dir>/devices.yaml} and {@code <dir>/profiles}, plus extra YAML. */
  static Path config(Path dir, String extra) throws Exception {
    Files.createDirectories(dir.resolve("profiles"));
    Files.writeString(dir.resolve("devices.yaml"), "devices: []\n");
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, "data:\n  dir: " + dir.resolve("data") + "\ndevices: " + dir.resolve("devices.yaml")
        + "\nprofiles: " + dir.resolve("profiles") + "\n" + extra);
    return file;
  }

  static GatewayConfig load(Path configFile) {
    return new ConfigLoader(Map.of()).load(configFile);
  }

  /**
   * A database with the given schema version in {@code meta}, a {@code devices} table with these ids
   * and {@code history} rows; in WAL mode like the gateway's.
   */
  static Path database(Path dataDir, int schema, int historyPoints, String... deviceIds) throws Exception {
    Files.createDirectories(dataDir);
    Path db = dataDir.resolve("hearth.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.execute("PRAGMA journal_mode = WAL");
      st.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      st.execute("INSERT INTO meta VALUES ('schema_version', '" + schema + "')");
      st.execute("CREATE TABLE devices (id TEXT PRIMARY KEY, definition TEXT NOT NULL, from_config INTEGER NOT NULL)");
      st.execute("CREATE TABLE history (device_id TEXT, property TEXT, ts INTEGER, value REAL)");
      for (String id : deviceIds) {
        st.execute("INSERT INTO devices VALUES ('" + id + "', '{\"id\":\"" + id + "\"}', 0)");
      }
      for (int i = 0; i < historyPoints; i++) {
        st.execute("INSERT INTO history VALUES ('x', 'p', " + i + ", 1)");
      }
    }
    return db;
  }

  static int latest() {
    return SqliteBackup.latestSchema();
  }

  /** A {@link Cli} whose output is kept. */
  static final class Captured {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    final Cli cli = new Cli(stream, stream, Map.of());

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
