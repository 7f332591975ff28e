package io.hearth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.device.DeviceDefinition;
import io.hearth.gateway.lifecycle.StartException;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.profile.ProfileLoader;
import io.hearth.gateway.registry.DeviceFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 3: {@link Application} as code embeds it, without a broker (MQTT stays down): extra devices
 * registered like the devices file's, and a start that fails stops what it had started.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApplicationTest {
  private static final String CODE = "pairing-code-for-app-test";

  @TempDir
  Path dir;
  private final Vertx client = Vertx.vertx();
  private Application app;

  @AfterEach
  void stop() throws Exception {
    if (app != null) {
      await(app.stop());
    }
    await(client.close());
  }

  private GatewayConfig config(int httpPort, int coapPort) throws Exception {
    Path devices = dir.resolve("devices.yaml");
    Files.writeString(devices, """
        devices:
          - { id: file-lamp, name: File lamp, profile: light.dimmable,
              binding: { protocol: mqtt, convention: hearth } }
        """);
    int noBroker;
    try (ServerSocket s = new ServerSocket(0)) {
      noBroker = s.getLocalPort();
    }
    return new GatewayConfig(
        new GatewayConfig.Http("127.0.0.1", httpPort, new GatewayConfig.Tls(false, null, null), 64 * 1024),
        new GatewayConfig.Mqtt(new GatewayConfig.Embedded(false, "127.0.0.1", 0, false),
            "tcp://127.0.0.1:" + noBroker, null, null),
        new GatewayConfig.Coap("127.0.0.1", coapPort),
        dir.resolve("data"), CODE, Path.of("../config/profiles"), devices,
        new GatewayConfig.Commands(5000, 60000, 10000));
  }

  /** Devices written as a devices file, parsed the way the gateway parses it. */
  private List<DeviceDefinition> extra(String yaml) throws Exception {
    Path file = dir.resolve("extra.yaml");
    Files.writeString(file, yaml);
    return DeviceFile.load(file, ProfileLoader.loadFolder(Path.of("../config/profiles")), TestTransports.standard());
  }

  @Test
  void extraDevicesAreRegisteredLikeTheFilesAndTheFileWins() throws Exception {
    // GIVEN extra devices: one new, one with an id the devices file uses
    GatewayConfig config = config(0, 0);
    List<DeviceDefinition> extras = extra("""
        devices:
          - { id: extra-plug, name: Extra plug, profile: plug, binding: { protocol: mqtt, convention: hearth } }
          - { id: file-lamp, name: Not the file's lamp, profile: light.dimmable,
              binding: { protocol: mqtt, convention: hearth } }
        """);

    // WHEN the gateway starts with them
    app = Application.builder(config).extraDevices(extras).build();
    await(app.start());
    WebClient http = WebClient.create(client);
    String token = await(http.post(app.httpPort(), "127.0.0.1", "/api/v1/auth/pair")
        .sendJsonObject(new JsonObject().put("code", CODE).put("client", "app-test")))
        .bodyAsJsonObject().getString("accessToken");

    // THEN both are registered, the file's lamp as the file has it
    assertEquals(Map.of("file-lamp", "File lamp", "extra-plug", "Extra plug"), names(http, token));

    // AND WHEN it starts again without them, the extra device is gone (as a device removed from the file)
    await(app.stop());
    app = Application.builder(config).build();
    await(app.start());
    assertEquals(Map.of("file-lamp", "File lamp"), names(http, token));
  }

  private Map<String, String> names(WebClient http, String token) throws Exception {
    JsonObject body = await(http.get(app.httpPort(), "127.0.0.1", "/api/v1/devices")
        .bearerTokenAuthentication(token).send()).bodyAsJsonObject();
    return body.getJsonArray("devices").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(d -> d.getString("id"), d -> d.getString("name")));
  }

  @Test
  void aStartThatFailsStopsWhatItStartedAndNamesTheKey() throws Exception {
    // GIVEN the HTTP port taken, and a free CoAP port (bound before the HTTP server in the start order)
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int coapPort;
      try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        coapPort = s.getLocalPort();
      }
      GatewayConfig config = config(taken.getLocalPort(), coapPort);

      // WHEN the gateway starts
      Application failed = Application.builder(config).build();
      ExecutionException e = assertThrows(ExecutionException.class, () -> await(failed.start()));

      // THEN it fails as a start failure (exit 3, not a configuration error) with the config key in one line
      StartException cause = assertInstanceOf(StartException.class, e.getCause());
      assertTrue(cause.getMessage().startsWith("http.port " + taken.getLocalPort() + " on 127.0.0.1 cannot be used"),
          cause.getMessage());
      // AND the CoAP endpoint it had bound is released again
      try (DatagramSocket again = new DatagramSocket(coapPort, InetAddress.getLoopbackAddress())) {
        assertTrue(again.isBound());
      }
      // AND a stop after it is harmless
      await(failed.stop());

      // AND the same data folder starts once the port is free
      taken.close();
      app = Application.builder(config).build();
      await(app.start());
      assertEquals(taken.getLocalPort(), app.httpPort());
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
