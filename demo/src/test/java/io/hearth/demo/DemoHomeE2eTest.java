package io.hearth.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.coap.CoapBinding;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.adapter.mqtt.MqttBridge;
import io.hearth.device.DeviceDefinition;
import io.hearth.gateway.Application;
import io.hearth.gateway.config.ConfigLoader;
import io.hearth.gateway.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as {@link DemoMain} wires it, on free ports: its devices reach the real gateway through
 * {@code Application.Builder.extraDevices}, log in to the embedded broker with their generated passwords
 * and come online; ids the devices file already uses stay the file's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoHomeE2eTest {
  private static final String PAIRING_CODE = "DEMO-TEST-CODE";
  private static final Set<String> MQTT_IDS = Set.of("demo-lamp", "demo-plug", "demo-thermostat", "demo-climate",
      "demo-door", "demo-lock", "demo-curtain", DemoHome.TASMOTA_PLUG, DemoHome.ZIGBEE_BULB);

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void demoDevicesComeOnlineAndTheDevicesFileKeepsItsIds() throws Exception {
    // GIVEN a devices file that already uses the two CoAP demo ids (so no fixed CoAP port is bound here)
    GatewayConfig config = config("devices:\n"
        + "  - { id: demo-porch, name: My porch, profile: light.dimmable,"
        + " binding: { protocol: coap, uri: 'coap://127.0.0.1:" + freeUdpPort() + "' } }\n"
        + "  - { id: demo-radiator, name: My radiator, profile: thermostat,"
        + " binding: { protocol: coap, uri: 'coap://127.0.0.1:" + freeUdpPort() + "' } }\n");
    // WHEN the demo hands its devices to the gateway and starts them once it is up
    DemoHome home = new DemoHome();
    List<DeviceDefinition> extra = home.devices(DemoMain.fileIds(config));
    assertEquals(MQTT_IDS, extra.stream().map(DeviceDefinition::id).collect(Collectors.toSet()));
    Set<String> passwords = extra.stream().map(d -> MqttBinding.of(d).credentials()).filter(Objects::nonNull)
        .map(MqttBinding.Credentials::password).collect(Collectors.toSet());
    // the bulb behind the bridge has none of its own: the bridge logs in for it
    assertNull(MqttBinding.of(extra.stream().filter(d -> d.id().equals(DemoHome.ZIGBEE_BULB)).findFirst()
        .orElseThrow()).credentials());
    assertEquals(List.of(DemoHome.BRIDGE), home.bridges().stream().map(MqttBridge::id).toList());
    passwords.add(home.bridges().get(0).credentials().password());
    assertEquals(MQTT_IDS.size(), passwords.size(), "one password per device or bridge");
    assertTrue(passwords.stream().allMatch(p -> p.matches("[A-Za-z0-9_-]{22}")), passwords::toString);
    // (and an extra device with a file id, which the gateway skips: the file wins)
    DeviceDefinition stray = new DeviceDefinition("demo-porch", "Stray porch", "porch", "light.dimmable",
        CoapBinding.hearth("coap://127.0.0.1:" + freeUdpPort()));
    Application app = Application.builder(config).extraDevices(
        Stream.concat(extra.stream(), Stream.of(stray)).toList()).extraBridges(home.bridges()).build();
    try {
      join(app.start());
      home.start(app.mqttUrl());
      // THEN every MQTT demo device is online, and the file's two devices kept their own names
      String token = new JsonObject(post(app, "/auth/pair",
          new JsonObject().put("code", PAIRING_CODE).put("client", "demo test"))).getString("accessToken");
      Map<String, JsonObject> devices = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> devices(app, token), d -> MQTT_IDS.stream().allMatch(id -> d.containsKey(id)
              && d.get(id).getBoolean("online", false)));
      assertEquals(MQTT_IDS.size() + 2, devices.size(), devices::toString);
      assertEquals("My porch", devices.get("demo-porch").getString("name"));
      assertEquals("My radiator", devices.get("demo-radiator").getString("name"));
      assertFalse(devices.get("demo-porch").getBoolean("online", false), "no simulated demo-porch");
    } finally {
      home.close();
      join(app.stop());
    }
  }

  private GatewayConfig config(String devicesYaml) throws IOException {
    Path devices = Files.writeString(dir.resolve("devices.yaml"), devicesYaml);
    Path file = Files.write(dir.resolve("gateway.yaml"), List.of(
        "http: { host: 127.0.0.1, port: 0 }",
        "mqtt:",
        "  embedded: { enabled: true, host: 127.0.0.1, port: " + freeTcpPort() + " }",
        "coap: { host: 127.0.0.1, port: 0 }",
        "data: { dir: '" + dir.resolve("data") + "' }",
        "auth: { pairingCode: " + PAIRING_CODE + " }",
        "profiles: '" + Path.of("../config/profiles").toAbsolutePath().normalize() + "'",
        "devices: '" + devices + "'"));
    return new ConfigLoader(Map.of()).load(file);
  }

  private Map<String, JsonObject> devices(Application app, String token) throws Exception {
    HttpResponse<String> r = http.send(request(app, "/devices", token).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r::body);
    JsonArray list = new JsonObject(r.body()).getJsonArray("devices");
    return list.stream().map(JsonObject.class::cast).collect(Collectors.toMap(d -> d.getString("id"), d -> d));
  }

  private String post(Application app, String path, JsonObject body) throws Exception {
    HttpResponse<String> r = http.send(request(app, path, null).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r::body);
    return r.body();
  }

  private static HttpRequest.Builder request(Application app, String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + "/api/v1" + path))
        .timeout(Duration.ofSeconds(30));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  private static <T> T join(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static int freeTcpPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freeUdpPort() {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
