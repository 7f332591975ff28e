package io.hearth.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.config.GatewayConfig;
import io.hearth.sim.SimDeviceSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Home Assistant interop on the embedded broker (docs/home-assistant.md): the gateway with
 * {@code homeAssistant.enabled}, simulated devices of every built-in profile, and a scripted client
 * that behaves like Home Assistant's MQTT integration, logged in as the configured Home Assistant
 * user. Each test uses its own devices.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HomeAssistantE2eTest {
  static final String HA_USER = "homeassistant";
  static final String HA_PASSWORD = "ha-secret-42";
  static final GatewayConfig.HomeAssistant HA = new GatewayConfig.HomeAssistant(true, "homeassistant", "hearth-ha",
      HA_USER, HA_PASSWORD);

  private GatewayFixture gw;
  private HomeAssistantClient ha;

  static List<SimDeviceSpec> devices() {
    return List.of(
        GatewayFixture.device("ha-lamp", "light.dimmable"),
        GatewayFixture.device("ha-lamp2", "light.dimmable"),
        GatewayFixture.device("ha-bad-lamp", "light.dimmable"),
        GatewayFixture.device("ha-plug", "plug"),
        GatewayFixture.device("ha-lock", "lock"),
        GatewayFixture.device("ha-curtain", "curtain"),
        GatewayFixture.device("ha-thermo", "thermostat"),
        GatewayFixture.device("ha-climate", "sensor.climate"),
        GatewayFixture.device("ha-door", "sensor.contact"),
        GatewayFixture.device("ha-gone", "plug"),
        GatewayFixture.device("ha-burst", "plug"));
  }

  @BeforeAll
  void start(@TempDir Path dir) {
    gw = GatewayFixture.builder(dir).homeAssistant(HA).simulated(devices().toArray(SimDeviceSpec[]::new)).build()
        .start();
    ha = new HomeAssistantClient(gw.mqttUrl(), "homeassistant", HA_USER, HA_PASSWORD);
    ha.birth();
  }

  @AfterAll
  void stop() {
    if (ha != null) {
      ha.close();
    }
    if (gw != null) {
      gw.close();
    }
  }

  private String hubId() {
    return "hearth_hub_" + gw.app().mqttClientId().substring("hearth-gateway-".length());
  }

  @Test
  void everyDeviceHasOneDeviceBasedConfigHomeAssistantAccepts() {
    // GIVEN the gateway and Home Assistant on the embedded broker
    // WHEN Home Assistant subscribes to its discovery topics
    // THEN every device has one retained device-based config, with the hub as via_device
    JsonObject hub = ha.awaitConfig(hubId());
    assertEquals("binary_sensor", hub.getJsonObject("cmps").getJsonObject("connectivity").getString("p"));
    for (SimDeviceSpec d : devices()) {
      JsonObject cfg = ha.awaitConfig(d.id());
      assertEquals(hubId(), cfg.getJsonObject("dev").getString("via_device"), d.id());
      assertEquals("Hearth", cfg.getJsonObject("o").getString("name"));
      assertEquals("Test " + d.id(), cfg.getJsonObject("dev").getString("name"));
      assertEquals("test", cfg.getJsonObject("dev").getString("suggested_area"));
      assertEquals(List.of("hearth-ha/status", "hearth-ha/" + d.id() + "/availability"),
          cfg.getJsonArray("availability").stream().map(a -> ((JsonObject) a).getString("topic")).toList());
    }

    JsonObject light = ha.awaitConfig("ha-lamp").getJsonObject("cmps").getJsonObject("light");
    assertEquals("light", light.getString("p"));
    assertEquals("json", light.getString("schema"));
    assertEquals(100, light.getInteger("brightness_scale"));
    assertEquals(new JsonArray().add("color_temp"), light.getJsonArray("supported_color_modes"));
    assertEquals(true, light.getBoolean("color_temp_kelvin"));
    assertEquals(2000, light.getInteger("min_kelvin"));
    assertEquals(6500, light.getInteger("max_kelvin"));

    JsonObject plug = ha.awaitConfig("ha-plug").getJsonObject("cmps");
    assertEquals("switch", plug.getJsonObject("power").getString("p"));
    assertEquals("power", plug.getJsonObject("power_w").getString("device_class"));
    assertEquals("W", plug.getJsonObject("power_w").getString("unit_of_measurement"));
    assertEquals("energy", plug.getJsonObject("energy_kwh").getString("device_class"));
    assertEquals("total_increasing", plug.getJsonObject("energy_kwh").getString("state_class"));

    JsonObject climate = ha.awaitConfig("ha-climate").getJsonObject("cmps");
    assertEquals("temperature", climate.getJsonObject("temperature").getString("device_class"));
    assertEquals("humidity", climate.getJsonObject("humidity").getString("device_class"));
    assertEquals("battery", climate.getJsonObject("battery").getString("device_class"));

    JsonObject door = ha.awaitConfig("ha-door").getJsonObject("cmps").getJsonObject("open");
    assertEquals("binary_sensor", door.getString("p"));
    assertEquals("opening", door.getString("device_class"));

    JsonObject thermo = ha.awaitConfig("ha-thermo").getJsonObject("cmps").getJsonObject("climate");
    assertEquals(new JsonArray().add("off").add("heat").add("cool").add("auto"), thermo.getJsonArray("modes"));
    assertEquals(5.0, thermo.getDouble("min_temp"));
    assertEquals(35.0, thermo.getDouble("max_temp"));
    assertEquals(0.5, thermo.getDouble("temp_step"));

    assertEquals("lock", ha.awaitConfig("ha-lock").getJsonObject("cmps").getJsonObject("lock").getString("p"));
    JsonObject cover = ha.awaitConfig("ha-curtain").getJsonObject("cmps").getJsonObject("cover");
    assertEquals("hearth-ha/ha-curtain/cover/position/set", cover.getString("set_position_topic"));
  }

  @Test
  void aLightCommandFromHomeAssistantGoesThroughTheCommandPathAndComesBackAsState() {
    // GIVEN the lamp's config, followed as Home Assistant follows it
    JsonObject cfg = ha.awaitConfig("ha-lamp");
    ha.follow(cfg);
    JsonObject light = cfg.getJsonObject("cmps").getJsonObject("light");
    ha.awaitPayload("hearth-ha/ha-lamp/availability", "online");
    // WHEN Home Assistant turns it on at half brightness, 3000 K (what its JSON light sends)
    ha.publish(light.getString("command_topic"), "{\"state\":\"ON\",\"brightness\":50,\"color_temp\":3000}", false);
    // THEN the device got the command and the new state comes back on the light's state topic
    JsonObject state = ha.awaitJson(light.getString("state_topic"),
        j -> "ON".equals(j.getString("state")) && Integer.valueOf(50).equals(j.getInteger("brightness"))
            && Integer.valueOf(3000).equals(j.getInteger("color_temp")));
    assertEquals("color_temp", state.getString("color_mode"));
    assertEquals(Map.of("power", true, "brightness", 50L, "color_temp", 3000L),
        Map.of("power", gw.sim("ha-lamp").state().get("power"),
            "brightness", ((Number) gw.sim("ha-lamp").state().get("brightness")).longValue(),
            "color_temp", ((Number) gw.sim("ha-lamp").state().get("color_temp")).longValue()));
    JsonObject device = gw.device("ha-lamp").getJsonObject("state");
    assertEquals(50, device.getInteger("brightness"));
    // the device's own state topic (retained) carries the same
    ha.subscribe("hearth-ha/ha-lamp/state");
    ha.awaitJson("hearth-ha/ha-lamp/state", j -> Integer.valueOf(3000).equals(j.getInteger("color_temp")));

    // AND the key the Home Assistant docs name color_temp_kelvin is understood too; OFF turns it off
    ha.publish(light.getString("command_topic"), "{\"state\":\"ON\",\"color_temp_kelvin\":4000}", false);
    ha.awaitJson(light.getString("state_topic"), j -> Integer.valueOf(4000).equals(j.getInteger("color_temp")));
    ha.publish(light.getString("command_topic"), "{\"state\":\"OFF\"}", false);
    ha.awaitJson(light.getString("state_topic"), j -> "OFF".equals(j.getString("state")));
  }

  @Test
  void aCommandThatFailsValidationIsNotSent() {
    // GIVEN a lamp that has received no command
    JsonObject light = ha.awaitConfig("ha-bad-lamp").getJsonObject("cmps").getJsonObject("light");
    int before = gw.sim("ha-bad-lamp").commandsReceived();
    // WHEN Home Assistant asks for a brightness outside the profile, then sends garbage
    ha.publish(light.getString("command_topic"), "{\"state\":\"ON\",\"brightness\":500}", false);
    ha.publish(light.getString("command_topic"), "not json", false);
    ha.publish("hearth-ha/ha-bad-lamp/nothing/set", "ON", false);
    // THEN nothing reached the device; a valid command afterwards does (so the others were refused, not late)
    ha.publish(light.getString("command_topic"), "{\"state\":\"ON\"}", false);
    gw.awaitDevice("ha-bad-lamp", d -> Boolean.TRUE.equals(d.getJsonObject("state").getBoolean("power")));
    assertEquals(before + 1, gw.sim("ha-bad-lamp").commandsReceived());
    assertFalse(Integer.valueOf(500).equals(gw.device("ha-bad-lamp").getJsonObject("state").getInteger("brightness")));
  }

  @Test
  void switchLockCoverAndClimateCommands() {
    JsonObject plug = ha.awaitConfig("ha-plug");
    JsonObject lock = ha.awaitConfig("ha-lock");
    JsonObject curtain = ha.awaitConfig("ha-curtain");
    JsonObject thermo = ha.awaitConfig("ha-thermo");
    List.of(plug, lock, curtain, thermo).forEach(ha::follow);

    ha.publish(plug.getJsonObject("cmps").getJsonObject("power").getString("command_topic"), "ON", false);
    ha.awaitJson("hearth-ha/ha-plug/state", j -> Boolean.TRUE.equals(j.getBoolean("power")));

    ha.publish(lock.getJsonObject("cmps").getJsonObject("lock").getString("command_topic"), "LOCK", false);
    ha.awaitJson("hearth-ha/ha-lock/state", j -> Boolean.TRUE.equals(j.getBoolean("locked")));
    ha.publish(lock.getJsonObject("cmps").getJsonObject("lock").getString("command_topic"), "UNLOCK", false);
    ha.awaitJson("hearth-ha/ha-lock/state", j -> Boolean.FALSE.equals(j.getBoolean("locked")));

    JsonObject cover = curtain.getJsonObject("cmps").getJsonObject("cover");
    ha.publish(cover.getString("set_position_topic"), "30", false);
    ha.awaitJson("hearth-ha/ha-curtain/state", j -> Integer.valueOf(30).equals(j.getInteger("position")));
    ha.publish(cover.getString("command_topic"), "OPEN", false); // the profile's open action
    ha.awaitJson("hearth-ha/ha-curtain/state", j -> Integer.valueOf(100).equals(j.getInteger("position")));

    JsonObject climate = thermo.getJsonObject("cmps").getJsonObject("climate");
    ha.publish(climate.getString("temperature_command_topic"), "21.5", false);
    ha.publish(climate.getString("mode_command_topic"), "heat", false);
    ha.awaitJson("hearth-ha/ha-thermo/state",
        j -> Double.valueOf(21.5).equals(j.getDouble("target_temp")) && "heat".equals(j.getString("mode")));
  }

  @Test
  void homeAssistantOnlineRepublishesEverything() {
    ha.awaitConfig("ha-door");
    ha.clear();
    // WHEN Home Assistant (re)starts and sends its birth message
    ha.birth();
    // THEN every config and state comes again
    for (SimDeviceSpec d : devices()) {
      if (!d.id().equals("ha-gone")) { // deleted by another test
        ha.awaitConfig(d.id());
      }
    }
    ha.awaitConfig(hubId());
  }

  @Test
  void availabilityFollowsTheDevice() {
    ha.follow(ha.awaitConfig("ha-door"));
    ha.awaitPayload("hearth-ha/ha-door/availability", "online");
    gw.sim("ha-door").goOffline(true);
    ha.awaitPayload("hearth-ha/ha-door/availability", "offline");
    gw.sim("ha-door").goOnline();
    ha.awaitPayload("hearth-ha/ha-door/availability", "online");
    ha.awaitPayload("hearth-ha/status", "online");
  }

  @Test
  void aDeletedDeviceLosesItsConfigAndAnAddedOneGetsOne() {
    ha.awaitConfig("ha-gone");
    // WHEN the owner deletes the device
    Http.Resp r = gw.http().delete("/devices/ha-gone");
    assertEquals(204, r.status(), r::body);
    // THEN its config is cleared with an empty retained payload (Home Assistant removes the device)
    ha.awaitPayload("homeassistant/device/ha-gone/config", "");
    try (HomeAssistantClient late = new HomeAssistantClient(gw.mqttUrl(), "homeassistant", HA_USER, HA_PASSWORD)) {
      late.awaitConfig("ha-door"); // retained configs reach a Home Assistant that connects later...
      assertTrue(late.latest("homeassistant/device/ha-door/config").retained());
      assertNull(late.latest("homeassistant/device/ha-gone/config")); // ...and the deleted one is gone
    }
    // WHEN the owner adds a device while running
    JsonObject body = new JsonObject().put("id", "ha-new").put("name", "New plug").put("profile", "plug")
        .put("binding", new JsonObject().put("protocol", "mqtt").put("convention", "hearth"));
    assertEquals(201, gw.http().post("/devices", body).status());
    // THEN Home Assistant gets its config, offline until the device connects
    JsonObject cfg = ha.awaitConfig("ha-new");
    assertEquals("New plug", cfg.getJsonObject("dev").getString("name"));
    ha.follow(cfg);
    ha.awaitPayload("hearth-ha/ha-new/availability", "offline");
  }

  @Test
  void homeAssistantsCommandsSpendABudgetOfTheirOwnLikeAnAppSession() {
    // GIVEN a capture of the bridge's warnings
    ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
        .getLogger(io.hearth.gateway.homeassistant.HomeAssistantBridge.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> warnings =
        new ch.qos.logback.core.read.ListAppender<>();
    warnings.start();
    log.addAppender(warnings);
    try {
      String topic = ha.awaitConfig("ha-burst").getJsonObject("cmps").getJsonObject("power")
          .getString("command_topic");
      // WHEN Home Assistant sends far more commands at once than a session's burst (40)
      for (int i = 0; i < 120; i++) {
        ha.publish(topic, i % 2 == 0 ? "ON" : "OFF", false);
      }
      // THEN the command service refuses the excess, as it would an app's (docs/security.md)
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> warnings.list.stream()
          .anyMatch(e -> e.getFormattedMessage().contains("too many commands from this session")));
      assertTrue(gw.sim("ha-burst").commandsReceived() < 120, () -> "received "
          + gw.sim("ha-burst").commandsReceived());
      assertEquals(io.hearth.gateway.security.Role.MEMBER,
          io.hearth.gateway.homeassistant.HomeAssistantBridge.PRINCIPAL.role());
    } finally {
      log.detachAppender(warnings);
    }
  }

  @Test
  void homeAssistantsUserIsConfinedToItsTopics() {
    // the broker refuses Home Assistant's user the devices' own topics
    int[] codes = ha.subscribe("hearth/#");
    assertTrue(codes[0] >= 0x80, () -> "subscription to hearth/# granted: 0x" + Integer.toHexString(codes[0]));
    // and a wrong password is refused
    try {
      new HomeAssistantClient(gw.mqttUrl(), "homeassistant", HA_USER, "wrong-password").close();
      throw new AssertionError("connected with a wrong password");
    } catch (IllegalStateException expected) {
      // refused
    }
  }
}
