package io.hearth.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.faults.JarProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jlink runtime of the {@code .deb}, unpacked into a temporary root, runs the packaged jar as the
 * systemd unit does (its JVM flags, {@code --config} the packaged {@code /etc/hearth/gateway.yaml},
 * {@code $STATE_DIRECTORY} as systemd sets it) from an empty folder up to the ready line: no system
 * Java involved. Only the three ports come from {@code HEARTH_*} so it can run beside other tests.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class JlinkRuntimeTest {
  @TempDir
  static Path root;
  @TempDir
  Path work;

  @BeforeAll
  static void unpackForThisMachine() {
    String arch = System.getProperty("hearth.deb.arch", "amd64");
    Assumptions.assumeTrue(arch.equals(debianArch(System.getProperty("os.arch"))),
        () -> "a " + arch + " runtime cannot run on " + System.getProperty("os.arch") + ": not started");
    Deb.unpack(root);
  }

  @Test
  void launcherRunsTheRuntimeOnTheJar() throws Exception {
    // GIVEN /usr/bin/hearth as packaged, pointed at the unpacked root instead of /
    Path launcher = work.resolve("hearth");
    Files.writeString(launcher, Files.readString(root.resolve(Deb.LAUNCHER))
        .replace("/usr/", root.resolve("usr") + "/"));
    // (the packaged jar carries the build's version: backups and Home Assistant's origin report it)
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(root.resolve(Deb.JAR).toFile())) {
      assertEquals(System.getProperty("hearth.version"),
          jar.getManifest().getMainAttributes().getValue("Implementation-Version"));
    }
    // WHEN it is asked for help THEN the gateway answers through it, naming it
    String help = Deb.run("sh", launcher.toString(), "--help");
    assertTrue(help.startsWith("Hearth gateway") && help.contains("usage: hearth [COMMAND] [OPTIONS]"), help);
    assertTrue(help.contains("3 start failure"), help);
  }

  @Test
  void packagedRuntimeRunsThePackagedJarToTheReadyLine() throws Exception {
    // GIVEN the package unpacked, and the JVM flags its unit gives
    Path java = root.resolve(Deb.JAVA);
    String unit = Files.readString(root.resolve(Deb.UNIT));
    String opts = unit.lines().filter(l -> l.startsWith("Environment=\"HEARTH_JAVA_OPTS=")).findFirst().orElseThrow()
        .replaceFirst("^Environment=\"HEARTH_JAVA_OPTS=", "").replaceFirst("\"$", "");
    List<String> flags = new java.util.ArrayList<>(Arrays.asList(opts.split(" ")));
    flags.add("-Djava.awt.headless=true");
    // (the runtime is the package's own: a small module set, not this JDK)
    String modules = Deb.run(java.toString(), "--list-modules");
    assertTrue(modules.contains("java.sql@") && modules.contains("jdk.unsupported@"), modules);
    assertFalse(modules.contains("java.compiler@") || modules.contains("jdk.jshell@"), modules);
    Path state = Files.createDirectories(work.resolve("state"));
    Path folder = Files.createDirectories(work.resolve("empty"));
    Map<String, String> env = Map.of("STATE_DIRECTORY", state.toString(), "HEARTH_HTTP_PORT", "0",
        "HEARTH_MQTT_EMBEDDED_PORT", Integer.toString(freePort()), "HEARTH_COAP_PORT", "0");
    // WHEN it starts as the unit starts it
    try (JarProcess p = JarProcess.start(java, flags, root.resolve(Deb.JAR),
        List.of("run", "--config", root.resolve(Deb.CONFIG).toString()), folder, env, work.resolve("gateway.log"))) {
      // THEN it is ready, keeps its data in the state directory, and stops with 0 on SIGTERM
      p.awaitLine("Hearth ready", Duration.ofSeconds(120));
      assertTrue(Files.isRegularFile(state.resolve("hearth.db")), "no hearth.db in $STATE_DIRECTORY");
      assertTrue(Files.isRegularFile(state.resolve("pairing-code")), "no pairing-code in $STATE_DIRECTORY");
      assertEquals(0, p.sigterm(Duration.ofSeconds(60)), p::log);
    }
  }

  private static String debianArch(String osArch) {
    return switch (osArch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> osArch;
    };
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
