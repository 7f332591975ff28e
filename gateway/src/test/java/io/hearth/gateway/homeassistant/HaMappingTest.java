package io.hearth.gateway.homeassistant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.adapter.Supports;
import io.hearth.device.Profile;
import io.hearth.gateway.command.CommandRequest;
import io.hearth.gateway.profile.ProfileLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mapping of the built-in profiles to Home Assistant components, the command payloads and the
 * state payloads, without MQTT (docs/home-assistant.md, "What maps to what").
 */
class HaMappingTest {
  private static final HaTopics TOPICS = new HaTopics("homeassistant", "hearth-ha");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Map<String, Profile> profiles;

  @BeforeAll
  static void load() {
    Path p = Path.of(System.getProperty("user.dir")).resolve("../config/profiles").normalize();
    profiles = ProfileLoader.loadFolder(p);
  }

  private static List<HaEntity> map(String profile) {
    Profile p = profiles.get(profile);
    return HaMapping.entities("dev1", p, Supports.all(p), TOPICS, "hearth_x_dev1");
  }

  private static HaEntity only(List<HaEntity> entities, String objectId) {
    return entities.stream().filter(e -> e.objectId().equals(objectId)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + objectId + " in " + entities));
  }

  @Test
  void builtInProfilesMapToTheDocumentedComponents() {
    Map<String, String> platforms = new HashMap<>();
    for (String profile : profiles.keySet()) {
      map(profile).forEach(e -> platforms.put(profile + "/" + e.objectId(), e.platform()));
    }
    assertEquals(Map.ofEntries(
        Map.entry("light.dimmable/light", "light"),
        Map.entry("plug/power", "switch"), Map.entry("plug/power_w", "sensor"), Map.entry("plug/energy_kwh", "sensor"),
        Map.entry("lock/lock", "lock"),
        Map.entry("curtain/cover", "cover"),
        Map.entry("thermostat/climate", "climate"),
        Map.entry("sensor.climate/temperature", "sensor"), Map.entry("sensor.climate/humidity", "sensor"),
        Map.entry("sensor.climate/battery", "sensor"),
        Map.entry("sensor.contact/open", "binary_sensor")), platforms);
  }

  @Test
  void everyComponentHasPlatformAndAUniqueId() {
    for (String profile : profiles.keySet()) {
      for (HaEntity e : map(profile)) {
        assertEquals(e.platform(), e.config().get("p"));
        assertEquals("hearth_x_dev1_" + e.objectId(), e.config().get("unique_id"));
      }
    }
  }

  @Test
  void aBindingThatCannotSetBrightnessGivesNoLight() {
    Profile p = profiles.get("light.dimmable");
    Supports onOff = Supports.of(p, List.of("power", "brightness"), List.of("power"), List.of());
    List<HaEntity> e = HaMapping.entities("dev1", p, onOff, TOPICS, "u");
    assertEquals("switch", only(e, "power").platform());
    assertEquals("sensor", only(e, "brightness").platform());
    assertEquals(2, e.size(), e::toString);
  }

  @Test
  void lightCommandsTranslateToOneSet() {
    HaEntity.Parser light = only(map("light.dimmable"), "light").commands().get("");
    CommandRequest r = light.parse("{\"state\":\"ON\",\"brightness\":50,\"color_temp\":3000,\"transition\":2}");
    assertEquals(Map.of("power", true, "brightness", 50L, "color_temp", 3000L), r.set());
    assertTrue(r.waitForOutcome());
    assertEquals(Map.of("power", true, "color_temp", 2700L),
        light.parse("{\"state\":\"ON\",\"color_temp_kelvin\":2700.4}").set());
    assertEquals(Map.of("power", false), light.parse("{\"state\":\"OFF\",\"brightness\":10}").set());
    for (String bad : List.of("nope", "[1]", "{}", "{\"state\":\"MAYBE\"}", "{\"brightness\":\"x\"}")) {
      assertThrows(IllegalArgumentException.class, () -> light.parse(bad), bad);
    }
  }

  @Test
  void otherCommands() {
    assertEquals(Map.of("power", true), only(map("plug"), "power").commands().get("").parse("ON").set());
    assertEquals(Map.of("locked", false), only(map("lock"), "lock").commands().get("").parse("UNLOCK").set());
    assertThrows(IllegalArgumentException.class, () -> only(map("lock"), "lock").commands().get("").parse("ON"));
    HaEntity cover = only(map("curtain"), "cover");
    assertEquals("stop", cover.commands().get("").parse("STOP").action());
    assertEquals(Map.of("position", 42L), cover.commands().get("position").parse("42").set());
    HaEntity climate = only(map("thermostat"), "climate");
    assertEquals(Map.of("target_temp", 21.5), climate.commands().get("temperature").parse("21.5").set());
    assertEquals(Map.of("mode", "cool"), climate.commands().get("mode").parse("cool").set());
  }

  @Test
  void aCoverWithoutActionsOpensByPositionAndCannotStop() {
    Profile p = profiles.get("curtain");
    Supports noActions = Supports.all(p).withoutActions();
    HaEntity cover = only(HaMapping.entities("c", p, noActions, TOPICS, "u"), "cover");
    assertEquals(Map.of("position", 100L), cover.commands().get("").parse("OPEN").set());
    assertEquals(Map.of("position", 0L), cover.commands().get("").parse("CLOSE").set());
    assertThrows(IllegalArgumentException.class, () -> cover.commands().get("").parse("STOP"));
    assertTrue(cover.config().containsKey("payload_stop"));
    assertNull(cover.config().get("payload_stop"));
  }

  @Test
  void statePayloads() throws Exception {
    Map<String, Object> state = new HashMap<>(Map.of("power", true, "brightness", 40L));
    JsonNode light = JSON.readTree(HaPayloads.lightState(state, true));
    assertEquals("ON", light.get("state").asText());
    assertEquals(40, light.get("brightness").asInt());
    assertTrue(light.path("color_mode").isMissingNode(), "no color_mode while the temperature is unknown");
    assertTrue(light.path("color_temp").isMissingNode());
    state.put("color_temp", 2700L);
    JsonNode warm = JSON.readTree(HaPayloads.lightState(state, true));
    assertEquals("color_temp", warm.get("color_mode").asText());
    assertEquals(2700, warm.get("color_temp").asInt());
    assertEquals("brightness", JSON.readTree(HaPayloads.lightState(state, false)).get("color_mode").asText());
    JsonNode plain = JSON.readTree(HaPayloads.state(List.of("power", "power_w"), Map.of("power", false)));
    assertTrue(plain.get("power_w").isNull(), "unknown values are null, so templates render unknown");
  }

  @Test
  void commandTopicsParseBack() {
    assertEquals(new HaTopics.CommandTopic("d", "cover", "position"),
        TOPICS.parseCommand(TOPICS.command("d", "cover", "position")).orElseThrow());
    assertEquals(new HaTopics.CommandTopic("d", "light", ""),
        TOPICS.parseCommand(TOPICS.command("d", "light", "")).orElseThrow());
    assertTrue(TOPICS.parseCommand("hearth-ha/d/light/state").isEmpty());
    assertTrue(TOPICS.parseCommand("hearth-ha/a/b/c/d/set").isEmpty());
    assertTrue(TOPICS.parseCommand("other/d/light/set").isEmpty());
  }
}
