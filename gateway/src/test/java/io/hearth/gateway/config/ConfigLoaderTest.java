package io.hearth.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.store.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tier 1: {@link ConfigLoader} — defaults, YAML overlay, environment overrides and one-line errors. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConfigLoaderTest {
  private static final Path SHIPPED = Path.of("../config/gateway.yaml");

  @TempDir
  Path dir;

  private Path yaml(String text) throws IOException {
    Path f = dir.resolve("gateway.yaml");
    Files.writeString(f, text);
    return f;
  }

  private static GatewayConfig load(Path file, Map<String, String> env) {
    return new ConfigLoader(env).load(file);
  }

  /** The one-line message, without the source the loader puts first (the file, the variables). */
  private String failure(String text, Map<String, String> env) throws IOException {
    return sourced(text, env).replaceFirst("^(config file \\S+( with [A-Z_, ]+)?|environment variable \\S+): ", "");
  }

  /** The one-line message as the operator sees it, naming the file or the variable first. */
  private String sourced(String text, Map<String, String> env) throws IOException {
    Path f = yaml(text);
    ConfigException e = assertThrows(ConfigException.class, () -> load(f, env), () -> "accepted: " + text + env);
    assertFalse(e.getMessage().contains("\n"), () -> "not one line: " + e.getMessage());
    return e.getMessage();
  }

  private String failure(String text) throws IOException {
    return failure(text, Map.of());
  }

  @Test
  void shippedConfigLoadsWithTheContractDefaults() {
    // GIVEN the config/gateway.yaml the project ships, and no environment
    GatewayConfig c = load(SHIPPED, Map.of());
    // THEN it loads, with the values of docs/configuration.md
    assertEquals("127.0.0.1", c.http().host());
    assertEquals(8080, c.http().port());
    assertFalse(c.http().tls().enabled());
    assertTrue(c.mqtt().embedded().enabled());
    assertEquals(1883, c.mqtt().embedded().port());
    assertFalse(c.mqtt().embedded().allowAnonymous());
    assertFalse(c.mqtt().embedded().persistent()); // persistence: memory
    assertEquals("tcp://127.0.0.1:1883", c.mqtt().url());
    assertNull(c.mqtt().username());
    assertNull(c.mqtt().password());
    assertEquals(5683, c.coap().port());
    assertEquals(Path.of("./data"), c.dataDir());
    assertNull(c.pairingCode());
    assertNull(c.profiles(), "the built-in profiles only");
    assertNull(c.devices(), "no devices file");
  }

  // ---- no file at all (the gateway run from any folder) and systemd's state directory

  @Test
  void noFileGivesTheDefaultsAndTheEnvironment() throws IOException {
    assertEquals(load(yaml(""), Map.of()), new ConfigLoader(Map.of()).loadDefaults());
    assertEquals(9100, new ConfigLoader(Map.of("HEARTH_HTTP_PORT", "9100")).loadDefaults().http().port());
  }

  @Test
  void stateDirectoryIsTheDefaultDataDir() throws IOException {
    // GIVEN systemd's StateDirectory=hearth (it may list several, colon-separated)
    Map<String, String> env = Map.of("STATE_DIRECTORY", "/var/lib/hearth:/var/lib/other");
    // THEN it is the data dir when the file does not name one, and data.dir still wins
    assertEquals(Path.of("/var/lib/hearth"), new ConfigLoader(env).loadDefaults().dataDir());
    assertEquals(Path.of("/var/lib/hearth"), load(SHIPPED, env).dataDir());
    assertEquals(Path.of("/srv/h"), load(yaml("data: { dir: /srv/h }"), env).dataDir());
  }

  @Test
  void errorsNameTheFileTheVariableAndTheKey() throws IOException {
    // a key of the file: the file is named
    String m = sourced("http: { port: 70000 }", Map.of());
    assertTrue(m.startsWith("config file " + dir.resolve("gateway.yaml") + ": config key 'http.port'"), m);
    // a bad variable: the variable is named
    m = sourced("", Map.of("HEARTH_COAP_PORT", "many"));
    assertTrue(m.startsWith("environment variable HEARTH_COAP_PORT: config key 'coap.port'"), m);
    // a variable out of range: the file and the variables in play are named
    m = sourced("", Map.of("HEARTH_COAP_PORT", "70000"));
    assertTrue(m.contains("gateway.yaml with HEARTH_COAP_PORT: config key 'coap.port' must be between"), m);
  }

  @Test
  void emptyFileGivesEveryDefault() throws IOException {
    GatewayConfig c = load(yaml(""), Map.of());
    assertEquals(load(SHIPPED, Map.of()), c, "the shipped file only restates the defaults");
    assertEquals(65536, c.http().maxBodyBytes());
    assertEquals(new GatewayConfig.Commands(5000, 60000, 10000), c.commands());
  }

  @Test
  void mqttLinkTimingsHaveDefaultsAndEnvironmentOverrides() throws IOException {
    assertEquals(new GatewayConfig.Link(30, 10, 600), load(yaml(""), Map.of()).mqtt().link());
    GatewayConfig c = load(yaml("mqtt: { keepAliveSeconds: 20 }"), Map.of(
        "HEARTH_MQTT_KEEP_ALIVE_SECONDS", "8", "HEARTH_MQTT_CONNECT_TIMEOUT_SECONDS", "4",
        "HEARTH_MQTT_SESSION_EXPIRY_SECONDS", "0"));
    assertEquals(new GatewayConfig.Link(8, 4, 0), c.mqtt().link());
    assertTrue(failure("mqtt: { keepAliveSeconds: 1 }").contains("mqtt.keepAliveSeconds"));
    assertTrue(failure("mqtt: { sessionExpirySeconds: -1 }").contains("mqtt.sessionExpirySeconds"));
  }

  @Test
  void commandFlowHasDefaultsYamlKeysAndEnvironmentOverrides() throws IOException {
    // GIVEN nothing: the defaults (20 commands a second per session, burst 40, 4 in flight per device)
    assertEquals(new GatewayConfig.CommandFlow(4, 20, 40), load(yaml(""), Map.of()).commandFlow());
    // WHEN the file names one key and the environment others (the environment wins)
    GatewayConfig c = load(yaml("commands: { maxInFlightPerDevice: 8, sessionBurst: 100 }"), Map.of(
        "HEARTH_COMMANDS_SESSION_RATE_PER_SECOND", "5000", "HEARTH_COMMANDS_SESSION_BURST", "10000"));
    assertEquals(new GatewayConfig.CommandFlow(8, 5000, 10000), c.commandFlow());
    // AND out of range is refused, naming the key
    assertTrue(failure("commands: { maxInFlightPerDevice: 0 }").contains("commands.maxInFlightPerDevice"));
    assertTrue(failure("commands: { sessionRatePerSecond: 0 }").contains("commands.sessionRatePerSecond"));
  }

  @Test
  void yamlOverridesOnlyTheKeysItNames() throws IOException {
    GatewayConfig c = load(yaml("""
        http: { port: 9000 }
        mqtt:
          embedded: { allowAnonymous: true }
          url: ssl://broker.lan:8883
          username: hearth
          password: secret
        auth: { pairingCode: "123456" }
        commands: { defaultTimeoutMs: 2000 }
        """), Map.of());
    assertEquals(9000, c.http().port());
    assertEquals("127.0.0.1", c.http().host(), "sibling keys keep their defaults");
    assertTrue(c.mqtt().embedded().allowAnonymous());
    assertTrue(c.mqtt().embedded().enabled());
    assertEquals("ssl://broker.lan:8883", c.mqtt().url());
    assertEquals("hearth", c.mqtt().username());
    assertEquals("secret", c.mqtt().password());
    assertEquals("123456", c.pairingCode());
    assertEquals(2000, c.commands().defaultTimeoutMs());
    assertEquals(60000, c.commands().maxTimeoutMs());
  }

  @Test
  void discoveryCapComesFromFileOrEnvironmentAndIsChecked() throws IOException {
    assertEquals(500, load(yaml(""), Map.of()).discovery().maxPending());
    assertEquals(20, load(yaml("discovery: { maxPending: 20 }"), Map.of()).discovery().maxPending());
    assertEquals(7, load(yaml("discovery: { maxPending: 20 }"), Map.of("HEARTH_DISCOVERY_MAX_PENDING", "7"))
        .discovery().maxPending());
    assertTrue(failure("discovery: { maxPending: 0 }").contains("'discovery.maxPending' must be between 1"));
  }

  @Test
  void secretsStayOutOfToString() throws IOException {
    GatewayConfig c = load(yaml("mqtt: { username: hearth, password: hunter22 }\n"
        + "http: { tls: { enabled: true, keyStore: /k.p12, password: hunter33 } }"), Map.of());
    assertFalse(c.toString().contains("hunter22"), c.toString());
    assertFalse(c.toString().contains("hunter33"), c.toString());
  }

  @Test
  void numbersAndBooleansGivenAsStringsAreCoerced() throws IOException {
    GatewayConfig c = load(yaml("http: { port: \"9001\" }\nmqtt: { embedded: { enabled: \"FALSE\" } }"), Map.of());
    assertEquals(9001, c.http().port());
    assertFalse(c.mqtt().embedded().enabled());
  }

  // ---- unknown keys, wrong types

  @Test
  void unknownTopLevelKeyIsRefusedByName() throws IOException {
    assertTrue(failure("htpp: { port: 9000 }").startsWith("unknown config key 'htpp' (known top-level: http, mqtt,"));
  }

  @Test
  void unknownNestedKeyIsRefusedWithItsPath() throws IOException {
    assertEquals("unknown config key 'mqtt.embedded.allowAnonymus' (known in mqtt.embedded: enabled, host, port,"
        + " allowAnonymous, persistence, maxClients, maxPacketBytes, clientPublishBytesPerSecond,"
        + " totalPublishBytesPerSecond, maxQueuedMessagesPerClient, receiveMaximum, sessionExpiryMaxSeconds)", failure("mqtt:\n  embedded:\n    allowAnonymus: true\n"));
  }

  @Test
  void typeErrorsNameTheKey() throws IOException {
    assertTrue(failure("http: { port: eighty }").contains("'http.port' must be an integer"));
    assertTrue(failure("http: { port: 80.5 }").contains("'http.port' must be an integer"));
    assertTrue(failure("mqtt: { embedded: { enabled: maybe } }").contains("'mqtt.embedded.enabled' must be true or false"));
    assertTrue(failure("http: 8080").contains("'http' must be a mapping"));
    assertTrue(failure("profiles: [a, b]").contains("'profiles' must be a single value"));
    assertTrue(failure("data: { dir: \"\" }").contains("'data.dir' must not be empty"));
    assertTrue(failure("http: { host: \"\" }").contains("'http.host'"));
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 65536, 100000})
  void portOutOfRangeIsRefused(int port) throws IOException {
    assertEquals("config key 'coap.port' must be between 0 and 65535, not " + port,
        failure("coap: { port: " + port + " }"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:1883", "tcp://127.0.0.1", "http://127.0.0.1:1883", "tcp://:1883", "not a url",
      "mqtt://broker:1883"})
  void badMqttUrlIsRefused(String url) throws IOException {
    assertTrue(failure("mqtt: { url: \"" + url + "\" }").startsWith("config key 'mqtt.url' must look like"));
  }

  @Test
  void crossKeyChecks() throws IOException {
    assertTrue(failure("commands: { defaultTimeoutMs: 9000, maxTimeoutMs: 8000 }")
        .contains("'commands.defaultTimeoutMs'"));
    assertTrue(failure("http: { tls: { enabled: true, keyStore: /k.p12 } }").contains("'http.tls.password'"));
  }

  @Test
  void nonMappingFileIsRefused() throws IOException {
    assertTrue(failure("- a\n- b\n").contains("must hold a YAML mapping"));
  }

  // ---- files

  @Test
  void missingFileIsRefusedNamingIt() {
    Path missing = dir.resolve("nope.yaml");
    ConfigException e = assertThrows(ConfigException.class, () -> load(missing, Map.of()));
    assertTrue(e.getMessage().startsWith("config file " + missing + " does not exist"), e.getMessage());
  }

  @Test
  void folderInsteadOfFileIsRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> load(dir, Map.of()));
    assertTrue(e.getMessage().startsWith("config file " + dir + " cannot be read"), e.getMessage());
  }

  @Test
  void malformedYamlGivesOneLine() throws IOException {
    String m = failure("http: { port: 80\nmqtt: [\n");
    assertTrue(m.startsWith("config file " + dir.resolve("gateway.yaml") + " cannot be read"), m);
  }

  // ---- environment

  @Test
  void environmentOverridesFileAndDefaults() throws IOException {
    Path f = yaml("http: { port: 9000 }");
    GatewayConfig c = load(f, Map.of("HEARTH_HTTP_PORT", "9100", "HEARTH_MQTT_EMBEDDED_PORT", "1884",
        "HEARTH_MQTT_URL", "tcp://10.0.0.2:1885", "HEARTH_DATA_DIR", "/var/lib/hearth",
        "HEARTH_COMMANDS_DEFAULT_TIMEOUT_MS", "3000"));
    assertEquals(9100, c.http().port());
    assertEquals(1884, c.mqtt().embedded().port());
    assertEquals("tcp://10.0.0.2:1885", c.mqtt().url());
    assertEquals(Path.of("/var/lib/hearth"), c.dataDir());
    assertEquals(3000, c.commands().defaultTimeoutMs());
  }

  @Test
  void availabilityAndWakeKeysHaveZigbee2mqttsDefaultsAndEnvironmentOverrides() throws IOException {
    GatewayConfig d = load(yaml(""), Map.of());
    assertEquals(new GatewayConfig.Availability(10, 1500, 30_000), d.availability());
    assertEquals(25 * 3_600_000, d.commands().wakeExpiryMs());
    assertEquals(7 * 24 * 3_600_000, d.commands().maxWakeExpiryMs());
    assertEquals(16, d.commands().maxWaitingPerDevice());
    GatewayConfig c = load(yaml("availability: { batteryTimeoutMin: 720 }\ncommands: { maxWaitingPerDevice: 4 }"),
        Map.of("HEARTH_AVAILABILITY_MAINS_TIMEOUT_MIN", "5", "HEARTH_AVAILABILITY_CHECKINTERVALMS", "1000",
            "HEARTH_COMMANDS_WAKE_EXPIRY_MS", "60000"));
    assertEquals(new GatewayConfig.Availability(5, 720, 1000), c.availability());
    assertEquals(60000, c.commands().wakeExpiryMs());
    assertEquals(4, c.commands().maxWaitingPerDevice());
    assertTrue(failure("availability: { mainsTimeoutMin: 0 }").contains("availability.mainsTimeoutMin"));
    assertTrue(failure("commands: { wakeExpiryMs: 9000, maxWakeExpiryMs: 8000 }").contains("commands.wakeExpiryMs"));
  }

  @Test
  void backupKeysHaveDefaultsEnvironmentOverridesAndChecks() throws IOException {
    GatewayConfig d = load(yaml("data: { dir: /srv/hearth }"), Map.of());
    assertEquals(GatewayConfig.Backup.DEFAULTS, d.backup());
    assertEquals(Path.of("/srv/hearth/backups"), d.backup().dir(d.dataDir()));
    GatewayConfig c = load(yaml("backup: { time: '4:05', keep: 3 }"),
        Map.of("HEARTH_BACKUP_ENABLED", "false", "HEARTH_BACKUP_DIR", "/mnt/usb/hearth"));
    assertEquals(new GatewayConfig.Backup(false, Path.of("/mnt/usb/hearth"), java.time.LocalTime.of(4, 5), 3),
        c.backup());
    assertTrue(failure("backup: { time: '25:00' }").contains("'backup.time' must be a time of day like 03:30"));
    assertTrue(failure("backup: { keep: 0 }").contains("backup.keep"));
  }

  @Test
  void durabilityKeysHaveDefaultsEnvironmentOverridesAndOneLineErrors() throws IOException {
    assertEquals(Durability.DEFAULTS, load(yaml(""), Map.of()).durability());
    GatewayConfig c = load(yaml("data: { durability: full, maxBatch: 32 }"),
        Map.of("HEARTH_DATA_SYNC_INTERVAL_MS", "50"));
    assertEquals(new Durability(Durability.Level.FULL, Duration.ofMillis(50), 32), c.durability());
    assertEquals(Durability.Level.NORMAL, load(yaml("data: { durability: full }"),
        Map.of("HEARTH_DATA_DURABILITY", "normal")).durability().level());
    assertTrue(failure("data: { durability: fsync }").contains("'data.durability' must be normal or full, not 'fsync'"));
    assertTrue(failure("data: { syncIntervalMs: 0 }").contains("data.syncIntervalMs"));
    assertTrue(failure("data: { maxBatch: 0 }").contains("data.maxBatch"));
  }

  @Test
  void camelCaseKeysAcceptBothEnvironmentSpellings() {
    assertTrue(load(SHIPPED, Map.of("HEARTH_MQTT_EMBEDDED_ALLOW_ANONYMOUS", "true")).mqtt().embedded().allowAnonymous());
    assertTrue(load(SHIPPED, Map.of("HEARTH_MQTT_EMBEDDED_ALLOWANONYMOUS", "TRUE")).mqtt().embedded().allowAnonymous());
    assertEquals(4096, load(SHIPPED, Map.of("HEARTH_HTTP_MAXBODYBYTES", "4096")).http().maxBodyBytes());
  }

  @Test
  void environmentNamesFollowThePath() {
    assertEquals("HEARTH_MQTT_EMBEDDED_ALLOW_ANONYMOUS", ConfigLoader.envName("mqtt.embedded.allowAnonymous", false));
    assertEquals("HEARTH_MQTT_EMBEDDED_ALLOWANONYMOUS", ConfigLoader.envName("mqtt.embedded.allowAnonymous", true));
    assertEquals("HEARTH_HTTP_PORT", ConfigLoader.envName("http.port", false));
  }

  @Test
  void badEnvironmentValueNamesTheKey() throws IOException {
    assertEquals("config key 'http.port' must be an integer, not 'x9000'",
        failure("", Map.of("HEARTH_HTTP_PORT", "x9000")));
    assertEquals("config key 'mqtt.embedded.port' must be between 0 and 65535, not 70000",
        failure("", Map.of("HEARTH_MQTT_EMBEDDED_PORT", "70000")));
    assertTrue(failure("", Map.of("HEARTH_MQTT_EMBEDDED_ALLOW_ANONYMOUS", "yes"))
        .startsWith("config key 'mqtt.embedded.allowAnonymous' must be true or false"));
  }

  @Test
  void brokerPersistenceIsFileOrMemory() throws IOException {
    assertTrue(load(SHIPPED, Map.of("HEARTH_MQTT_EMBEDDED_PERSISTENCE", "file")).mqtt().embedded().persistent());
    assertFalse(load(SHIPPED, Map.of("HEARTH_MQTT_EMBEDDED_PERSISTENCE", "memory")).mqtt().embedded().persistent());
    assertEquals("config key 'mqtt.embedded.persistence' must be file or memory, not 'disk'",
        failure("mqtt: { embedded: { persistence: disk } }"));
  }

  @Test
  void unrelatedEnvironmentIsIgnored() {
    assertEquals(load(SHIPPED, Map.of()), load(SHIPPED, Map.of("HEARTH_NOPE", "1", "PATH", "/bin", "HTTP_PORT", "1")));
  }
}
