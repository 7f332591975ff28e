package io.hearth.sim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.sim.coap.CoapSimDevice;
import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CoAP devices as the simulator runs them: from a devices file (uri, base port, generic skipped),
 * against libcoap's coap-client as a third-party peer, registering with a resource directory, and
 * closing without leaving a thread behind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CoapSimulatorTest {

  @TempDir
  Path dir;

  private static SimOptions options() {
    return SimOptions.defaults("tcp://127.0.0.1:1").withCoapBasePort(0);
  }

  /** A UDP port that is free now, and (when {@code pair}) the one above it too. */
  private static int freeUdpPort(boolean pair) throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
        int p = a.getLocalPort();
        if (!pair || p >= 65535) {
          return p;
        }
        try (DatagramSocket b = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p + 1))) {
          return p;
        } catch (java.net.SocketException taken) {
          // try another
        }
      }
    }
    throw new IllegalStateException("no free udp port pair");
  }

  @Test
  void devicesFilePortsFromUriAndBaseGenericSkipped() throws Exception {
    int fixed = freeUdpPort(false);
    int base = freeUdpPort(true);
    Path file = dir.resolve("devices.yaml");
    Files.writeString(file, String.join("\n",
        "devices:",
        "  - { id: bedroom-thermostat, profile: thermostat,",
        "      binding: { protocol: coap, uri: \"coap://127.0.0.1:" + fixed + "\", convention: hearth },",
        "      sim: { packetLoss: 0.25 } }",
        "  - { id: porch-light, profile: light.dimmable,",
        "      binding: { protocol: coap, uri: \"coap://127.0.0.1:" + (fixed == 65535 ? 1 : fixed) + "\", "
            + "convention: generic, state: /state, write: replace } }",
        "  - { id: a-lamp, profile: light.dimmable, binding: { protocol: coap } }",
        "  - { id: a-plug, profile: plug, binding: { protocol: coap, convention: hearth } }",
        ""));
    List<SimDeviceSpec> specs = SimDevices.load(file);
    assertEquals(0.25, specs.get(0).faults().packetLoss());
    try (Simulator sim = Simulator.start(options().withCoapBasePort(base), specs)) {
      assertEquals(3, sim.devices().size());
      assertNull(sim.device("porch-light"));
      assertEquals("coap://127.0.0.1:" + fixed, sim.coapDevice("bedroom-thermostat").uri());
      assertEquals(base, sim.coapDevice("a-lamp").port());
      assertEquals(base + 1, sim.coapDevice("a-plug").port());
      try (CoapGatewaySide gw = new CoapGatewaySide(200, 2)) {
        assertEquals(ResponseCode.CONTENT, gw.client("coap://127.0.0.1:" + (base + 1) + "/state").get().getCode());
      }
    }
  }

  @Test
  void portInUseFailsTheStartNamingTheDevice() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      SimDeviceSpec spec = SimDeviceSpec.coap("busy", "plug", "coap://127.0.0.1:" + taken.getLocalPort());
      IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
          () -> Simulator.start(options().withStartTimeout(Duration.ofSeconds(10)), List.of(spec)));
      assertTrue(e.getMessage().contains("busy: cannot listen"), e.getMessage());
    }
  }

  private static String coapClient() {
    for (String name : List.of("coap-client", "coap-client-notls", "coap-client-openssl", "coap-client-gnutls")) {
      for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
        if (new File(d, name).canExecute()) {
          return new File(d, name).getPath();
        }
      }
    }
    return null;
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertTrue(p.waitFor(15, TimeUnit.SECONDS), "coap-client did not finish: " + String.join(" ", cmd));
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void libcoapClientDiscoversAndControlsTheDevice() throws Exception {
    String client = coapClient();
    Assumptions.assumeTrue(client != null, "libcoap coap-client not installed");
    try (Simulator sim = Simulator.start(options(), List.of(SimDeviceSpec.coap("porch", "light.dimmable", null)))) {
      String base = sim.coapDevice("porch").uri();
      String links = run(client, "-B", "5", "-m", "get", base + "/.well-known/core");
      assertTrue(links.contains("</state>") && links.contains("rt=\"hearth.light.dimmable\""), links);
      run(client, "-B", "5", "-m", "put", "-t", "50", "-e", "{\"power\":true,\"brightness\":33}", base + "/state");
      assertEquals(33, sim.device("porch").state().get("brightness"));
      String state = run(client, "-B", "5", "-m", "get", base + "/state");
      assertTrue(state.contains("\"brightness\":33"), state);
      String bad = run(client, "-B", "5", "-m", "put", "-t", "50", "-e", "{\"brightness\":300}", base + "/state");
      assertTrue(bad.contains("4.00") || bad.contains("must be <= 100"), bad);
    }
  }

  /** A tiny resource directory: records registrations, answers 2.01 with /rd/1, accepts updates there. */
  private static final class TestRd implements AutoCloseable {
    final BlockingQueue<CoapExchange> registrations = new LinkedBlockingQueue<>();
    final BlockingQueue<CoapExchange> updates = new LinkedBlockingQueue<>();
    final CoapServer server = new CoapServer();

    TestRd() {
      CoapResource rd = new CoapResource("rd") {
        @Override
        public void handlePOST(CoapExchange exchange) {
          registrations.add(exchange);
          exchange.setLocationPath("rd/1");
          exchange.respond(ResponseCode.CREATED);
        }
      };
      rd.add(new CoapResource("1") {
        @Override
        public void handlePOST(CoapExchange exchange) {
          updates.add(exchange);
          exchange.respond(ResponseCode.CHANGED);
        }
      });
      server.add(rd);
      server.addEndpoint(new CoapEndpoint.Builder()
          .setInetSocketAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).build());
      server.start();
    }

    String uri() {
      return "coap://127.0.0.1:" + server.getEndpoints().get(0).getAddress().getPort();
    }

    @Override
    public void close() {
      server.destroy();
    }
  }

  @Test
  void registersWithResourceDirectoryAndRefreshes() throws Exception {
    try (TestRd rd = new TestRd();
         Simulator sim = Simulator.start(options().withCoapRd(rd.uri(), 1),
             List.of(SimDeviceSpec.coap("front-lock", "lock", null)))) {
      CoapExchange reg = rd.registrations.poll(10, TimeUnit.SECONDS);
      assertTrue(reg != null, "no registration");
      assertEquals("front-lock", reg.getQueryParameter("ep"));
      assertEquals("1", reg.getQueryParameter("lt"));
      assertEquals(40, reg.getRequestOptions().getContentFormat());
      String links = reg.getRequestText();
      assertTrue(links.contains("</state>") && links.contains("rt=\"hearth.lock\"") && links.contains("obs"), links);
      // sent from the device's own port, so the directory can take it as the device's base
      CoapSimDevice d = sim.coapDevice("front-lock");
      assertEquals(d.port(), reg.getSourcePort());
      // refreshed at 3/4 of the 1 s lifetime, again and again
      assertTrue(rd.updates.poll(5, TimeUnit.SECONDS) != null, "no registration update");
      assertTrue(rd.updates.poll(5, TimeUnit.SECONDS) != null, "no second registration update");
      // offline: refreshing stops; online again: registers anew
      d.goOffline(true);
      rd.updates.clear();
      d.goOnline();
      assertTrue(rd.registrations.poll(10, TimeUnit.SECONDS) != null, "no registration after coming back");
    }
  }

  private static Set<String> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !t.getName().startsWith("awaitility"))
        .map(t -> t.getName() + "#" + t.getId()).collect(Collectors.toSet());
  }

  @Test
  void closeLeavesNoThreadBehind() throws Exception {
    Set<String> before = liveThreads();
    Simulator sim = Simulator.start(options(), SimDevices.generate(30, List.of(), "coap"));
    assertEquals(30, sim.devices().size());
    assertTrue(liveThreads().stream().anyMatch(n -> n.startsWith("hearth-sim-coap")));
    sim.close();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Set<String> left = liveThreads();
      left.removeAll(before);
      assertEquals(Set.of(), left);
    });
  }
}
