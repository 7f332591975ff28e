package io.hearth.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code .deb} (docs/install.md): what it holds and with which modes, its control data and
 * conffile, and the systemd unit, hardened and accepted by {@code systemd-analyze verify}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DebPackageTest {
  @TempDir
  static Path root;
  private static String contents;

  @BeforeAll
  static void unpack() {
    contents = Deb.run("dpkg-deb", "-c", Deb.file().toString());
    Deb.unpack(root);
  }

  @Test
  void holdsTheJarTheRuntimeTheLauncherTheUnitAndTheConfig() {
    // executables keep their mode, everything else is read-only for others
    assertMode("-rwxr-xr-x", Deb.JAVA);
    assertMode("-rwxr-xr-x", Deb.LAUNCHER);
    assertMode("-rw-r--r--", Deb.JAR);
    assertMode("-rw-r--r--", Deb.UNIT);
    assertMode("-rw-r--r--", Deb.CONFIG);
    assertMode("-rw-r--r--", "usr/share/doc/hearth/install.md");
    // the jar is the gateway's, unchanged
    assertEquals(Path.of(System.getProperty("hearth.gateway.jar", "../gateway/target/hearth-gateway.jar")).toFile()
        .length(), root.resolve(Deb.JAR).toFile().length());
    // the launcher runs the packaged runtime on the packaged jar
    String launcher = read(Deb.LAUNCHER);
    assertTrue(launcher.contains("/" + Deb.JAVA) && launcher.contains("/" + Deb.JAR), launcher);
    assertTrue(Files.isDirectory(root.resolve("usr/lib/hearth/runtime/lib")));
  }

  @Test
  void controlAndConffile() {
    String control = Deb.run("dpkg-deb", "-f", Deb.file().toString());
    assertTrue(control.contains("Package: hearth\n"), control);
    assertTrue(control.contains("Architecture: " + System.getProperty("hearth.deb.arch", "amd64") + "\n"), control);
    assertTrue(control.matches("(?s).*Depends: [^\n]*libc6.*"), control);
    // /etc/hearth/gateway.yaml is a conffile: an upgrade keeps the owner's edits
    assertEquals("/" + Deb.CONFIG, Deb.run("dpkg-deb", "-I", Deb.file().toString(), "conffiles").trim());
  }

  @Test
  void unitIsHardened() {
    Map<String, String> unit = keys(read(Deb.UNIT));
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("Type", "exec");
    expected.put("ExecStart", "/usr/bin/hearth run --config /etc/hearth/gateway.yaml");
    expected.put("DynamicUser", "yes");
    expected.put("StateDirectory", "hearth");
    expected.put("ProtectSystem", "strict");
    expected.put("ProtectHome", "yes");
    expected.put("PrivateTmp", "yes");
    expected.put("NoNewPrivileges", "yes");
    expected.put("Restart", "on-failure");
    expected.put("RestartPreventExitStatus", "1 2");
    expected.put("CapabilityBoundingSet", "");
    expected.forEach((k, v) -> assertEquals(v, unit.get(k), () -> k + " in " + Deb.UNIT));
    // the JVM flags come from the unit, and the gateway config gives no data.dir: $STATE_DIRECTORY wins
    assertTrue(unit.get("Environment").startsWith("\"HEARTH_JAVA_OPTS=-Xmx"), unit.get("Environment"));
    assertFalse(read(Deb.CONFIG).lines().anyMatch(l -> l.trim().startsWith("dir:")), "data.dir set in " + Deb.CONFIG);
  }

  @Test
  void unitPassesSystemdAnalyzeVerify() throws IOException {
    Optional<Path> analyze = Deb.onPath("systemd-analyze");
    Assumptions.assumeTrue(analyze.isPresent(),
        "systemd-analyze is not installed here: the unit file was not verified (install systemd to check it)");
    // the unit as installed, with ExecStart pointing at the unpacked launcher (verify checks it exists)
    Path unit = root.resolve("verify/hearth.service");
    Files.createDirectories(unit.getParent());
    Files.writeString(unit, read(Deb.UNIT).replace("ExecStart=/usr/bin/hearth", "ExecStart=" + root.resolve(Deb.LAUNCHER)));
    String out = Deb.run(List.of(analyze.get().toString(), "verify", unit.toString()), 0);
    assertFalse(out.toLowerCase().contains("unknown key") || out.toLowerCase().contains("ignoring"), out);
  }

  private static void assertMode(String mode, String path) {
    Matcher m = Pattern.compile("(?m)^(\\S+)\\s.*\\s\\./" + Pattern.quote(path) + "$").matcher(contents);
    assertTrue(m.find(), () -> path + " not in the package:\n" + contents);
    assertEquals(mode, m.group(1), path);
  }

  private static String read(String path) {
    try {
      return Files.readString(root.resolve(path));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code Key=value} lines of a unit file (the last one of a key wins). */
  private static Map<String, String> keys(String unit) {
    Map<String, String> out = new LinkedHashMap<>();
    unit.lines().map(String::trim).filter(l -> !l.startsWith("#") && l.contains("="))
        .forEach(l -> out.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    return out;
  }
}
