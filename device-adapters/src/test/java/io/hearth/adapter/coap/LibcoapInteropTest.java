package io.hearth.adapter.coap;

import static io.hearth.adapter.coap.CoapDeviceAdapterTest.get;
import static io.hearth.adapter.coap.CoapDeviceAdapterTest.set;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hearth.device.DeviceDefinition;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The CoAP adapter against libcoap's example server, a third-party peer (skipped if not installed). */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LibcoapInteropTest {
  Context context;
  CoapSink sink;
  CoapDeviceAdapter adapter;
  final List<Libcoap> servers = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    assumeTrue(Libcoap.server().isPresent() && Libcoap.client().isPresent(), "libcoap binaries not installed");
    context = vertx.getOrCreateContext();
    sink = new CoapSink(context);
    adapter = new CoapDeviceAdapter(context, CoapDeviceAdapterTest.FAST
        .withTransmission(Duration.ofMillis(300), 1.5, 3));
    get(adapter.start(sink));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (adapter != null) {
      get(adapter.stop());
    }
    for (Libcoap s : servers) {
      s.close();
    }
    if (sink != null) {
      assertTrue(sink.offContext.isEmpty(), () -> "sink called off context: " + sink.offContext);
    }
  }

  static DeviceDefinition generic(String id, String uri, String write, Map<String, Object> extra) {
    return new DeviceDefinition(id, null, null, "light.dimmable",
        new CoapBinding("generic", uri, "/state", write, extra));
  }

  /** Starts coap-server with dynamic resources and creates /state on it with coap-client. */
  int libcoapDevice(String binary, List<String> extraArgs, String initial) throws Exception {
    int port = Libcoap.freeUdpPortPair();
    List<String> cmd = new ArrayList<>(List.of(binary, "-A", "127.0.0.1", "-p", Integer.toString(port), "-d", "10"));
    cmd.addAll(extraArgs);
    servers.add(Libcoap.start(cmd));
    String url = "coap://127.0.0.1:" + port + "/state";
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
      Libcoap.client("-m", "put", "-B", "1", url, "-e", initial);
      return Libcoap.client("-B", "1", url).contains(initial);
    });
    return port;
  }

  @Test
  void genericDeviceIsObservedAndControlled() throws Exception {
    int port = libcoapDevice(Libcoap.server().get(), List.of(), "{\"power\":false,\"brightness\":10}");
    String url = "coap://127.0.0.1:" + port + "/state";
    // GIVEN libcoap's server as a generic device with whole-state writes
    get(adapter.attach(generic("porch", "coap://127.0.0.1:" + port, "replace", Map.of()), null));
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.reported("porch", Map.of("power", false, "brightness", 10L)));
    // WHEN the gateway commands brightness 60 THEN libcoap answers 2.04 and holds the merged state
    get(adapter.send(set("g1", "porch", Map.of("brightness", 60L), Duration.ofSeconds(5))));
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.reply("g1") != null);
    assertTrue(sink.reply("g1").ok(), () -> String.valueOf(sink.reply("g1")));
    String held = Libcoap.client("-B", "2", url);
    assertTrue(held.contains("\"power\":false") && held.contains("\"brightness\":60"), held);
    // WHEN someone else PUTs to it with coap-client THEN the change reaches the gateway through Observe
    Libcoap.client("-m", "put", "-B", "2", url, "-e", "{\"power\":true,\"brightness\":60}");
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.reported("porch", Map.of("power", true)));
  }

  @Test
  void dtlsPskDeviceIsControlledAndAWrongKeyFailsCleanly() throws Exception {
    assumeTrue(Libcoap.dtlsServer().isPresent(), "libcoap with DTLS not installed");
    int port = libcoapDevice(Libcoap.dtlsServer().get(), List.of("-k", "sesame-key-1", "-h", "hearth"),
        "{\"power\":false}");
    String coaps = "coaps://127.0.0.1:" + (port + 1);
    // GIVEN the device over DTLS-PSK with the right key (hex here: "sesame-key-1")
    get(adapter.attach(generic("vault", coaps, "patch",
        Map.of("psk", Map.of("identity", "gateway", "key", "hex:" + java.util.HexFormat.of()
            .formatHex("sesame-key-1".getBytes(java.nio.charset.StandardCharsets.UTF_8))))), null));
    await().atMost(Duration.ofSeconds(10)).until(() -> sink.reported("vault", Map.of("power", false)));
    get(adapter.send(set("d1", "vault", Map.of("power", true), Duration.ofSeconds(5))));
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.reply("d1") != null);
    assertTrue(sink.reply("d1").ok(), () -> String.valueOf(sink.reply("d1")));
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.reported("vault", Map.of("power", true)));
    // WHEN a gateway with a wrong key talks to it (a fresh DTLS endpoint: no session to reuse)
    CoapSink other = new CoapSink(context);
    CoapDeviceAdapter wrong = new CoapDeviceAdapter(context, CoapDeviceAdapterTest.FAST);
    get(wrong.start(other));
    try {
      get(wrong.attach(generic("vault", coaps, "patch",
          Map.of("psk", Map.of("identity", "gateway", "key", "wrong-key"))), null));
      var sent = wrong.send(set("d2", "vault", Map.of("power", false), Duration.ofSeconds(3)));
      // THEN the command fails (handshake refused) or gets no reply, nothing is reported, and it stays up
      await().atMost(Duration.ofSeconds(20)).until(() -> sent.isComplete() && wrong.inFlightRequests() == 0);
      assertTrue(other.reply("d2") == null || !other.reply("d2").ok(), () -> String.valueOf(other.reply("d2")));
      assertTrue(other.states.isEmpty());
      assertTrue(wrong.isUp());
      assertTrue(other.offContext.isEmpty());
    } finally {
      get(wrong.stop());
    }
  }
}
