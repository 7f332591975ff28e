package io.hearth.gateway.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.Main;
import io.hearth.sim.SimDeviceSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a user meets it ({@code docs/operations.md}): {@code Main} in its own JVM,
 * with a bad configuration (one line on stderr, exit 1), a start failure (exit 3), a usage error and
 * the demo and benchmark options that now live in their own jars (one line, exit 2), {@code --help}
 * (exit 0) and a good configuration (the ready line, exit 0 on SIGTERM). The jar itself, from an
 * empty folder, is the faults module's {@code RunAnywhereTest}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommandLineE2eTest {
  private static final Duration EXIT_DEADLINE = Duration.ofSeconds(60);
  private static final Pattern READY =
      Pattern.compile("Hearth ready http=(http://\\S+) mqtt=(tcp://\\S+) coap=(\\S+)");

  @TempDir
  Path dir;

  /** The gateway config with the given devices file and extra YAML lines; ports free and random. */
  private Path config(Path devices, int httpPort, String... extra) throws IOException {
    List<String> lines = new ArrayList<>(List.of(
        "http: { host: 127.0.0.1, port: " + httpPort + " }",
        "mqtt:",
        "  embedded: { enabled: true, host: 127.0.0.1, port: " + GatewayFixture.freePort() + " }",
        "data: { dir: '" + dir.resolve("data") + "' }",
        "profiles: '" + GatewayFixture.profilesFolder() + "'",
        "devices: '" + devices + "'"));
    lines.addAll(List.of(extra));
    Path f = dir.resolve("gateway.yaml");
    Files.write(f, lines);
    return f;
  }

  private Path devices(String yaml) throws IOException {
    Path f = dir.resolve("devices.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private Path goodDevices() {
    Path f = dir.resolve("devices.yaml");
    GatewayFixture.writeDevices(f, List.of(GatewayFixture.device("cli-lamp", "light.dimmable"),
        SimDeviceSpec.mqtt("cli-plug", "plug").withConvention("tasmota", "tasmota_cli")));
    return f;
  }

  /** A finished run of {@code Main}. */
  record Run(int exit, List<String> stdout, List<String> stderr) {}

  private Process spawn(Path config) throws IOException {
    return spawn("--config", config.toString());
  }

  private Process spawn(String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-Djava.net.preferIPv4Stack=true", "-cp", System.getProperty("java.class.path"), "io.hearth.gateway.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(dir.toFile())
        .redirectOutput(dir.resolve("stdout.txt").toFile())
        .redirectError(dir.resolve("stderr.txt").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("HEARTH_"));
    return pb.start();
  }

  private Run finish(Process p) throws Exception {
    try {
      assertTrue(p.waitFor(EXIT_DEADLINE.toSeconds(), TimeUnit.SECONDS), "gateway did not exit in time");
    } finally {
      p.destroyForcibly();
    }
    return new Run(p.exitValue(), Files.readAllLines(dir.resolve("stdout.txt")),
        Files.readAllLines(dir.resolve("stderr.txt")));
  }

  private Run run(Path config) throws Exception {
    return finish(spawn(config));
  }

  /** The exit status and exactly one stderr line, {@code hearth: …}, containing every hint. */
  private static String assertOneLineFailure(Run r, int exit, String... hints) {
    assertNotEquals(0, exit);
    assertEquals(exit, r.exit(), () -> "exit code; stderr: " + r.stderr());
    assertEquals(1, r.stderr().size(), () -> "stderr lines: " + r.stderr());
    String line = r.stderr().get(0);
    assertTrue(line.startsWith("hearth: "), line);
    for (String h : hints) {
      assertTrue(line.contains(h), () -> "'" + h + "' not in: " + line);
    }
    return line;
  }

  @Test
  void unknownProfileInTheDevicesFile() throws Exception {
    Path devices = devices("devices:\n  - { id: lamp, profile: light.disco, binding: { protocol: mqtt } }\n");
    assertOneLineFailure(run(config(devices, 0)), Main.EXIT_CONFIG, devices.toString(), "entry 1 (lamp)",
        "light.disco");
  }

  @Test
  void duplicateDeviceId() throws Exception {
    Path devices = devices("devices:\n"
        + "  - { id: lamp, profile: light.dimmable, binding: { protocol: mqtt } }\n"
        + "  - { id: lamp, profile: plug, binding: { protocol: mqtt } }\n");
    assertOneLineFailure(run(config(devices, 0)), Main.EXIT_CONFIG, devices.toString(), "duplicate", "lamp");
  }

  @Test
  void coapsEntryWithoutKeyNamesTheFileAndEntry() throws Exception {
    Path devices = devices("devices:\n"
        + "  - { id: porch, profile: light.dimmable, binding: { protocol: coap, uri: 'coaps://127.0.0.1:5684' } }\n");
    assertOneLineFailure(run(config(devices, 0)), Main.EXIT_CONFIG, devices.toString(), "entry 1 (porch)",
        "binding.psk", "coaps://");
  }

  @Test
  void unknownConfigKey() throws Exception {
    Path config = config(goodDevices(), 0, "htpp: { port: 9000 }");
    assertOneLineFailure(run(config), Main.EXIT_CONFIG, config.toString(), "htpp", "known top-level: http,");
  }

  @Test
  void unreadableConfigFile() throws Exception {
    Path missing = dir.resolve("no-such-gateway.yaml");
    assertOneLineFailure(run(missing), Main.EXIT_CONFIG, missing.toString(), "does not exist", "--config");
    Path directory = Files.createDirectories(dir.resolve("a-directory.yaml"));
    assertOneLineFailure(run(directory), Main.EXIT_CONFIG, directory.toString());
  }

  @Test
  void httpPortInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      assertOneLineFailure(run(config(goodDevices(), port)), Main.EXIT_START, "http.port", Integer.toString(port),
          "another port");
    }
  }

  @Test
  void demoAndBenchPointAtTheirOwnJars() throws Exception {
    Run demo = finish(spawn("--config", config(goodDevices(), 0).toString(), "--demo"));
    assertOneLineFailure(demo, Main.EXIT_USAGE, "--demo", "java -jar demo/target/hearth-demo.jar");
    Run bench = finish(spawn("bench", "--quick"));
    assertOneLineFailure(bench, Main.EXIT_USAGE, "benchmark", "java -jar bench/target/hearth-bench.jar");
  }

  @Test
  void usageErrorsExitTwo() throws Exception {
    assertOneLineFailure(finish(spawn("frobnicate")), Main.EXIT_USAGE, "unknown command 'frobnicate'", "run", "help");
    assertOneLineFailure(finish(spawn("--port", "9")), Main.EXIT_USAGE, "unknown argument '--port'", "--help");
    assertOneLineFailure(finish(spawn("run", "--config")), Main.EXIT_USAGE, "--config needs a file");
  }

  @Test
  void helpListsTheCommandsOptionsAndExitCodes() throws Exception {
    for (String[] args : List.of(new String[] {"--help"}, new String[] {"help"}, new String[] {"run", "-h"})) {
      Run r = finish(spawn(args));
      assertEquals(0, r.exit(), () -> "exit code; stderr: " + r.stderr());
      String out = String.join("\n", r.stdout());
      for (Main.Command c : Main.COMMANDS) {
        assertTrue(out.contains("  " + c.name()), () -> c.name() + " not in: " + out);
      }
      for (String s : List.of("--config FILE", "HEARTH_<KEY>", "STATE_DIRECTORY", "1 configuration error",
          "2 usage error", "3 start failure")) {
        assertTrue(out.contains(s), () -> s + " not in: " + out);
      }
    }
  }

  @Test
  void readyLineThenCleanStopOnSigterm() throws Exception {
    Run r = startThenSigterm();
    assertTrue(r.stdout().stream().anyMatch(l -> l.contains("core stopped [cleanly: true]")),
        () -> String.join("\n", r.stdout()));
    assertTrue(r.stdout().stream().anyMatch(l -> l.contains("Hearth stopped")), () -> String.join("\n", r.stdout()));
    assertTrue(r.stderr().isEmpty(), () -> "stderr: " + r.stderr());
  }

  @Test
  void exitsZeroOnSigterm() throws Exception {
    Run r = startThenSigterm();
    assertEquals(0, r.exit(), () -> "exit code on SIGTERM; stderr: " + r.stderr());
  }

  /** Starts Main, waits for the ready line, checks the advertised API answers, sends SIGTERM. */
  private Run startThenSigterm() throws Exception {
    Process p = spawn(config(goodDevices(), 0));
    try {
      String ready = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(
          () -> readyLine(p), line -> line != null);
      Matcher m = READY.matcher(ready);
      assertTrue(m.find(), ready);
      String health = new Http(m.group(1) + "/api/v1").get("/health").body();
      assertTrue(health.contains("\"store\":\"up\""), health);
      assertTrue(new java.net.URI(m.group(2)).getPort() > 0, ready);
      p.destroy(); // SIGTERM
      return finish(p);
    } finally {
      p.destroyForcibly();
    }
  }

  private String readyLine(Process p) {
    if (!p.isAlive()) {
      throw new IllegalStateException("gateway exited with " + p.exitValue() + ": " + read("stderr.txt"));
    }
    return read("stdout.txt").lines().filter(l -> l.contains("Hearth ready")).findFirst().orElse(null);
  }

  private String read(String name) {
    try {
      return Files.readString(dir.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
