package io.hearth.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.Simulator;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product jar as shipped (docs/operations.md, "What is in the jar"): at most 60 MB, native
 * libraries for Linux x86_64 and aarch64 (glibc) only, and the embedded broker's file persistence
 * (RocksDB, a native library) still works from it on this machine.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProductJarTest {
  static final long MAX_JAR_BYTES = 60L * 1024 * 1024;

  @Test
  void jarFitsSixtyMegabytesWithLinuxNativesOnly() throws IOException {
    Path jar = GatewayProcess.jar();
    assertTrue(Files.size(jar) <= MAX_JAR_BYTES, () -> jar + " is " + size(jar) + " bytes, over 60 MB");
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      List<String> natives = zip.stream().map(ZipEntry::getName)
          .filter(n -> n.endsWith(".so") || n.endsWith(".dll") || n.endsWith(".dylib") || n.endsWith(".jnilib")
              || n.endsWith(".a"))
          .sorted().toList();
      // RocksDB (the broker's file persistence), SQLite (the store), JNA (HiveMQ's system metrics)
      assertEquals(List.of(
          "com/sun/jna/linux-aarch64/libjnidispatch.so",
          "com/sun/jna/linux-x86-64/libjnidispatch.so",
          "librocksdbjni-linux-aarch64.so",
          "librocksdbjni-linux64.so",
          "org/sqlite/native/Linux/aarch64/libsqlitejdbc.so",
          "org/sqlite/native/Linux/x86_64/libsqlitejdbc.so"), natives);
    }
  }

  @Test
  void embeddedBrokerKeepsItsFilesAcrossARestart(@TempDir Path dir) throws IOException {
    // GIVEN the product jar with the embedded broker's file persistence (RocksDB and Xodus)
    int mqttPort = Ports.freeTcp();
    SimDeviceSpec lamp = Devices.lamp("jar-lamp");
    try (GatewayProcess gw = new GatewayProcess(dir, List.of(GatewayProcess.mqttEntry(lamp)),
        Map.of("HEARTH_MQTT_EMBEDDED_PORT", Integer.toString(mqttPort),
            "HEARTH_MQTT_EMBEDDED_PERSISTENCE", "file")).start()) {
      // WHEN a device connects and takes a command, and the gateway restarts on the same folder
      try (Simulator sim = Devices.simulate("tcp://127.0.0.1:" + mqttPort, List.of(lamp))) {
        gw.awaitOnline(lamp.id());
        gw.set(lamp.id(), new JsonObject().put("brightness", 30));
      }
      assertBrokerRanOnNativeFiles(gw);
      assertEquals(0, gw.sigterm(Duration.ofSeconds(60)));
      gw.start();
      try (Simulator sim = Devices.simulate("tcp://127.0.0.1:" + mqttPort, List.of(lamp))) {
        gw.awaitOnline(lamp.id());
        gw.set(lamp.id(), new JsonObject().put("brightness", 40));
      }
      // THEN both starts ran the broker on its RocksDB files, and no native library failed to load
      assertBrokerRanOnNativeFiles(gw);
      Path brokerData = dir.resolve("data/broker/data");
      try (Stream<Path> files = Files.walk(brokerData)) {
        assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("OPTIONS-")),
            "no RocksDB store under " + brokerData);
      }
    }
  }

  private static void assertBrokerRanOnNativeFiles(GatewayProcess gw) {
    assertFalse(gw.log().contains("UnsatisfiedLinkError"), gw::log);
    assertEquals(1, gw.logLines("embedded MQTT broker started").size(), gw::log);
  }

  private static long size(Path jar) {
    try {
      return Files.size(jar);
    } catch (IOException e) {
      return -1;
    }
  }
}
