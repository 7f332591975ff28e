package io.hearth.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code .deb} the package phase built ({@code hearth.deb}), read with the tools a Debian
 * system has ({@code dpkg-deb}) and unpacked into a temporary root with {@code dpkg-deb -x}: what a
 * fresh Debian would get from {@code dpkg -i}, without its maintainer scripts.
 */
final class Deb {
  static final String UNIT = "lib/systemd/system/hearth.service";
  static final String JAR = "usr/share/hearth/hearth-gateway.jar";
  static final String JAVA = "usr/lib/hearth/runtime/bin/java";
  static final String CONFIG = "etc/hearth/gateway.yaml";
  static final String LAUNCHER = "usr/bin/hearth";

  private Deb() {}

  static Path file() {
    org.junit.jupiter.api.Assumptions.assumeTrue(onPath("dpkg-deb").isPresent(),
        "dpkg-deb is not installed here (not a Debian system): the package was built but not checked");
    Path deb = Path.of(System.getProperty("hearth.deb", "target/hearth_amd64.deb")).toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(deb), () -> deb + " is missing: build it with ./mvnw -pl packaging -am package");
    return deb;
  }

  /** {@code dpkg-deb -x}: the package's files under {@code root}. */
  static Path unpack(Path root) {
    run("dpkg-deb", "-x", file().toString(), root.toString());
    return root;
  }

  /** The output of a command that must exit 0 within a minute. */
  static String run(String... cmd) {
    return run(List.of(cmd), 0);
  }

  /** The output (stdout and stderr) of a command, which must exit with {@code expected}. */
  static String run(List<String> cmd, int expected) {
    try {
      Path out = Files.createTempFile("packaging-cmd", ".txt");
      Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), () -> cmd + " did not finish");
      String text = Files.readString(out, StandardCharsets.UTF_8);
      Files.delete(out);
      assertEquals(expected, p.exitValue(), () -> cmd + ": " + text);
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The first directory of {@code PATH} holding {@code tool}, if any. */
  static java.util.Optional<Path> onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(d.isEmpty() ? "." : d, tool);
      if (Files.isExecutable(p)) {
        return java.util.Optional.of(p);
      }
    }
    return java.util.Optional.empty();
  }
}
