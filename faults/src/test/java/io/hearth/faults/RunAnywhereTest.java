package io.hearth.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, "runs from anywhere": the real jars started from an empty temporary folder as a new
 * user would (docs/operations.md): no config file, no profiles folder, no devices file. The gateway
 * gets no arguments (its three ports come from {@code HEARTH_*} variables only so the test can run
 * beside others); the demo gets nothing at all, while this test holds every default port it would
 * bind, so it must take free ones and say so.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RunAnywhereTest {
  private static final Pattern READY = Pattern.compile("Hearth ready http=(http://\\S+) mqtt=(tcp://\\S+) coap=(\\S+)");
  private static final Set<String> BUILT_IN = Set.of("light.dimmable", "plug", "thermostat", "sensor.climate",
      "sensor.contact", "lock", "curtain");

  @TempDir
  Path dir;

  @Test
  void gatewayFromAnEmptyFolderWithNoArguments() throws Exception {
    // GIVEN an empty folder (and nothing in the environment but three ports)
    Path log = Files.createTempFile("gateway", ".log");
    Map<String, String> ports = Map.of("HEARTH_HTTP_PORT", "0", "HEARTH_MQTT_EMBEDDED_PORT",
        Integer.toString(Ports.freeTcp()), "HEARTH_COAP_PORT", "0");
    try (JarProcess p = JarProcess.start(JarProcess.testJava(), JarProcess.TEST_FLAGS, GatewayProcess.jar(), List.of(),
        dir, ports, log)) {
      // WHEN the jar starts with no arguments THEN it reaches the ready line on the built-in defaults
      Matcher ready = ready(p.awaitLine("Hearth ready", GatewayProcess.READY_TIMEOUT));
      assertTrue(p.log().contains("configuration: built-in defaults"), p::log);
      // AND its data is in ./data of that folder, the built-in profiles come from the jar
      assertTrue(Files.isRegularFile(dir.resolve("data/hearth.db")), "no ./data/hearth.db");
      Http http = new Http(ready.group(1) + "/api/v1");
      http.token(http.post("/auth/pair", new JsonObject().put("code", Files.readString(dir.resolve("data/pairing-code"))
          .trim()).put("client", "run-anywhere")).assertJson(200).getString("accessToken"));
      Set<String> profiles = http.get("/profiles").assertJson(200).getJsonArray("profiles").stream()
          .map(o -> ((JsonObject) o).getString("id")).collect(Collectors.toSet());
      assertEquals(BUILT_IN, profiles);
      // AND SIGTERM stops it with 0
      assertEquals(0, p.sigterm(Duration.ofSeconds(60)), p::log);
    }
  }

  @Test
  void demoFromAnEmptyFolderTakesFreePortsWhenTheDefaultsAreTaken() throws Exception {
    Path demo = Path.of(System.getProperty("hearth.demo.jar", "../demo/target/hearth-demo.jar")).toAbsolutePath()
        .normalize();
    assertTrue(Files.isRegularFile(demo), () -> demo + " is missing: build it with ./mvnw -pl demo -am package");
    Path log = Files.createTempFile("demo", ".log");
    // GIVEN every default port of the demo held (here, or already by someone else)
    try (Held held = Held.tcp(8080, 1883).udp(5683, 5701, 5702);
        JarProcess p = JarProcess.start(JarProcess.testJava(), JarProcess.TEST_FLAGS, demo, List.of(), dir, Map.of(),
            log)) {
      // WHEN the demo jar starts with its defaults THEN it reaches the ready line on other ports
      Matcher ready = ready(p.awaitLine("Hearth ready", GatewayProcess.READY_TIMEOUT));
      assertNotEquals(8080, java.net.URI.create(ready.group(1)).getPort(), ready.group());
      assertNotEquals(1883, java.net.URI.create(ready.group(2)).getPort(), ready.group());
      assertNotEquals(5683, java.net.URI.create(ready.group(3)).getPort(), ready.group());
      // AND says which ports it swapped, its simulated CoAP devices' too, and starts its devices
      for (String swapped : List.of("http.port 8080 is in use, using", "mqtt.embedded.port 1883 is in use, using",
          "coap.port 5683 is in use, using", "device port 5701 is in use, using", "device port 5702 is in use, using")) {
        assertTrue(p.log().contains(swapped), () -> swapped + " not logged: " + p.log());
      }
      p.awaitLine("demo devices running", Duration.ofSeconds(60));
      assertEquals(0, p.sigterm(Duration.ofSeconds(60)), p::log);
    }
  }

  private static Matcher ready(String line) {
    Matcher m = READY.matcher(line);
    assertTrue(m.find(), line);
    return m;
  }

  /** Default ports held for the test's length; one already held elsewhere is left to its holder. */
  private static final class Held implements Closeable {
    private final List<Closeable> sockets = new ArrayList<>();

    static Held tcp(int... ports) {
      Held h = new Held();
      for (int port : ports) {
        try {
          ServerSocket s = new ServerSocket();
          s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
          h.sockets.add(s);
        } catch (IOException takenAlready) {
          // someone else's: the demo must avoid it all the same
        }
      }
      return h;
    }

    Held udp(int... ports) {
      for (int port : ports) {
        try {
          sockets.add(new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port)));
        } catch (IOException takenAlready) {
          // as above
        }
      }
      return this;
    }

    @Override
    public void close() throws IOException {
      for (Closeable c : sockets) {
        c.close();
      }
    }
  }
}
