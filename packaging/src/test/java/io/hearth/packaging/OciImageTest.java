package io.hearth.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.faults.JarProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The container images of the {@code oci} profile (docs/install.md, "Docker"): for each architecture
 * the tarball's config names it, its entrypoint, environment, ports and user are the documented ones,
 * and its file system holds a runtime and C libraries of that architecture, down to the dynamic
 * loader the entrypoint names. No Docker daemon here: the image of this machine's architecture is
 * run by extracting its layers and starting the entrypoint with the image's own loader and libraries
 * (not the machine's), up to the ready line.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OciImageTest {
  private static final String JAVA = "/opt/hearth/runtime/bin/java";
  private static final String JAR = "/opt/hearth/hearth-gateway.jar";
  /** Debian architecture → ELF machine, dynamic loader, multiarch triplet. */
  private static final Map<String, List<String>> ARCH = Map.of(
      "amd64", List.of("62", "/lib64/ld-linux-x86-64.so.2", "x86_64-linux-gnu"),
      "arm64", List.of("183", "/lib/ld-linux-aarch64.so.1", "aarch64-linux-gnu"));

  @TempDir
  Path work;

  @ParameterizedTest
  @ValueSource(strings = {"amd64", "arm64"})
  void tarballIsAnImageOfItsArchitecture(String arch) throws IOException {
    // GIVEN the tarball jib:buildTar wrote for this architecture
    OciImage image = OciImage.open(OciImage.tarball(arch), Files.createDirectories(work.resolve("tar")));
    JsonNode c = image.config();
    JsonNode cfg = c.get("config");
    // THEN its config names the architecture and what the docs promise
    assertEquals(arch, c.get("architecture").asText(), c::toString);
    assertEquals("linux", c.get("os").asText(), c::toString);
    List<String> entrypoint = strings(cfg.get("Entrypoint"));
    assertEquals(JAVA, entrypoint.get(0), entrypoint::toString);
    assertEquals(List.of("-jar", JAR), entrypoint.subList(entrypoint.size() - 2, entrypoint.size()));
    assertTrue(entrypoint.contains("-Djava.io.tmpdir=/tmp"), entrypoint::toString);
    List<String> env = strings(cfg.get("Env"));
    assertTrue(env.containsAll(List.of("JDK_JAVA_OPTIONS=-Xmx128m -XX:+UseSerialGC",
        "HEARTH_DATA_DIR=/var/lib/hearth/data", "HEARTH_HTTP_HOST=0.0.0.0",
        "HEARTH_MQTT_EMBEDDED_HOST=0.0.0.0", "HEARTH_COAP_HOST=0.0.0.0")), env::toString);
    assertEquals(List.of("1883/tcp", "5683/udp", "8080/tcp"), fieldNames(cfg.get("ExposedPorts")));
    assertEquals(List.of("/var/lib/hearth"), fieldNames(cfg.get("Volumes")));
    assertEquals("65532:65532", cfg.get("User").asText());
    assertEquals(System.getProperty("hearth.version"), cfg.get("Labels").get("org.opencontainers.image.version").asText());

    // AND its file system: the entrypoint, the loader it names and the libraries are of this architecture
    Path root = image.extract(Files.createDirectories(work.resolve("root")));
    int machine = Integer.parseInt(ARCH.get(arch).get(0));
    String loader = ARCH.get(arch).get(1);
    String triplet = ARCH.get(arch).get(2);
    assertEquals(machine, OciImage.elfMachine(in(root, JAVA)), "bin/java");
    assertEquals(machine, OciImage.elfMachine(in(root, "/opt/hearth/runtime/lib/server/libjvm.so")), "libjvm.so");
    assertTrue(Files.readString(in(root, JAVA), java.nio.charset.StandardCharsets.ISO_8859_1).contains(loader),
        () -> "bin/java does not name the loader " + loader);
    assertEquals(machine, OciImage.elfMachine(in(root, loader)), loader);
    for (String lib : List.of("/lib/" + triplet + "/libc.so.6", "/lib/" + triplet + "/libz.so.1",
        "/lib/" + triplet + "/libgcc_s.so.1", "/usr/lib/" + triplet + "/libstdc++.so.6")) {
      assertEquals(machine, OciImage.elfMachine(in(root, lib)), lib);
    }
    // the runtime is the jlink one (a few modules), the jar the one this build made, with its version
    String release = Files.readString(in(root, "/opt/hearth/runtime/release"));
    assertTrue(release.contains("java.sql") && !release.contains("java.compiler"), release);
    Path builtJar = Path.of(System.getProperty("hearth.gateway.jar"));
    assertEquals(Files.mismatch(builtJar, in(root, JAR)), -1L, "the image's jar is not " + builtJar);
    try (JarFile jar = new JarFile(in(root, JAR).toFile())) {
      assertEquals(System.getProperty("hearth.version"),
          jar.getManifest().getMainAttributes().getValue("Implementation-Version"));
    }
    // modes: executables and the loader 755, /tmp and the data folder writable by the image's user
    String listing = image.listing();
    for (String entry : List.of(JAVA.substring(1), loader.substring(1), "opt/hearth/runtime/lib/jspawnhelper")) {
      assertTrue(listing.lines().anyMatch(l -> l.startsWith("-rwxr-xr-x") && l.endsWith(" " + entry)),
          () -> entry + " is not 755: " + listing.lines().filter(l -> l.endsWith(entry)).toList());
    }
    for (String dir : List.of("tmp/", "var/lib/hearth/")) {
      assertTrue(listing.lines().anyMatch(l -> l.startsWith("drwxrwxrwx") && l.endsWith(" " + dir)), dir);
    }
  }

  @Test
  void imageOfThisMachineRunsToTheReadyLine() throws Exception {
    // GIVEN the image of this machine's architecture, its layers extracted
    String arch = switch (System.getProperty("os.arch")) {
      case "aarch64", "arm64" -> "arm64";
      default -> "amd64";
    };
    OciImage image = OciImage.open(OciImage.tarball(arch), Files.createDirectories(work.resolve("tar")));
    Path root = image.extract(Files.createDirectories(work.resolve("root")));
    JsonNode cfg = image.config().get("config");
    List<String> entrypoint = strings(cfg.get("Entrypoint"));
    // WHEN the entrypoint runs through the image's own loader and libraries (the machine's are not
    // used), with the image's environment; only addresses, ports and folders are the test's
    String triplet = ARCH.get(arch).get(2);
    List<String> flags = new ArrayList<>(List.of("--library-path",
        in(root, "/lib/" + triplet) + ":" + in(root, "/usr/lib/" + triplet), in(root, JAVA).toString()));
    Path tmp = Files.createDirectories(work.resolve("tmp"));
    entrypoint.subList(1, entrypoint.size() - 2)
        .forEach(f -> flags.add(f.equals("-Djava.io.tmpdir=/tmp") ? "-Djava.io.tmpdir=" + tmp : f));
    Map<String, String> env = new TreeMap<>();
    strings(cfg.get("Env")).forEach(e -> env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1)));
    Path data = Files.createDirectories(work.resolve("data"));
    env.putAll(Map.of("HEARTH_DATA_DIR", data.toString(), "HEARTH_HTTP_HOST", "127.0.0.1", "HEARTH_HTTP_PORT", "0",
        "HEARTH_MQTT_EMBEDDED_HOST", "127.0.0.1", "HEARTH_MQTT_EMBEDDED_PORT", Integer.toString(freePort()),
        "HEARTH_COAP_HOST", "127.0.0.1", "HEARTH_COAP_PORT", "0"));
    try (JarProcess p = JarProcess.start(in(root, ARCH.get(arch).get(1)), flags, in(root, JAR), List.of(), data, env,
        work.resolve("gateway.log"))) {
      // THEN it is ready with the image's JVM flags, keeps its data in the data folder, and stops
      // with 0 on SIGTERM
      p.awaitLine("Hearth ready", Duration.ofSeconds(120));
      assertTrue(p.log().contains("Picked up JDK_JAVA_OPTIONS: " + env.get("JDK_JAVA_OPTIONS")), p::log);
      assertTrue(Files.isRegularFile(data.resolve("hearth.db")), "no hearth.db in HEARTH_DATA_DIR");
      assertEquals(0, p.sigterm(Duration.ofSeconds(60)), p::log);
    }
  }

  private static Path in(Path root, String absolute) {
    return root.resolve(absolute.substring(1));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    out.sort(null);
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
