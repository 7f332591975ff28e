package io.hearth.gateway.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.device.ActionSpec;
import io.hearth.device.Profile;
import io.hearth.device.PropertySpec;
import io.hearth.device.PropertyType;
import io.hearth.gateway.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tier 1: {@link ProfileLoader} on the shipped profiles folder and on malformed files. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProfileLoaderTest {
  private static final Path SHIPPED = Path.of("../config/profiles");
  private static Map<String, Profile> builtIn;

  @TempDir
  Path dir;

  @BeforeAll
  static void loadShipped() {
    builtIn = ProfileLoader.loadFolder(SHIPPED);
  }

  private static PropertySpec prop(String profile, String name) {
    Profile p = builtIn.get(profile);
    assertNotNull(p, () -> "no built-in profile " + profile);
    PropertySpec s = p.property(name);
    assertNotNull(s, () -> profile + " has no property " + name);
    return s;
  }

  private static void assertProp(String profile, String name, PropertyType type, boolean writable) {
    PropertySpec s = prop(profile, name);
    assertEquals(type, s.type(), () -> profile + "." + name + " type");
    assertEquals(writable, s.writable(), () -> profile + "." + name + " mode");
  }

  // ---- the built-in profiles of docs/devices.md

  @Test
  void everyContractProfileIsShipped() {
    assertTrue(builtIn.keySet().containsAll(
        Set.of("light.dimmable", "plug", "thermostat", "sensor.climate", "sensor.contact", "lock", "curtain")),
        builtIn.keySet()::toString);
  }

  @Test
  void theJarCarriesEveryShippedProfile() throws IOException {
    // GIVEN the classpath copy of config/profiles (index.txt lists what the jar carries)
    // THEN it holds exactly the folder's profiles: a new file there that index.txt forgets fails here
    assertEquals(builtIn, ProfileLoader.builtIns());
    assertEquals(builtIn, ProfileLoader.withBuiltIns(null));
  }

  @Test
  void aFolderAddsToAndOverridesTheBuiltIns() throws IOException {
    // GIVEN a folder with a new profile and one replacing the built-in plug
    Files.writeString(dir.resolve("fan.yaml"), "id: fan\nproperties: { power: { type: bool, mode: rw } }\n");
    Files.writeString(dir.resolve("plug.yaml"), "id: plug\nname: My plug\nproperties: { on: { type: bool, mode: rw } }\n");
    // WHEN it is loaded with the built-ins
    Map<String, Profile> all = ProfileLoader.withBuiltIns(dir);
    // THEN the built-ins are there, the new one too, and the folder's plug replaced the built-in one
    assertTrue(all.keySet().containsAll(builtIn.keySet()), all.keySet()::toString);
    assertEquals(builtIn.size() + 1, all.size());
    assertNotNull(all.get("fan"));
    assertNotNull(all.get("plug").property("on"));
    assertEquals(null, all.get("plug").property("power"));
  }

  @Test
  void dimmableLight() {
    assertProp("light.dimmable", "power", PropertyType.BOOL, true);
    assertProp("light.dimmable", "brightness", PropertyType.INT, true);
    assertEquals(0.0, prop("light.dimmable", "brightness").min());
    assertEquals(100.0, prop("light.dimmable", "brightness").max());
    assertEquals("%", prop("light.dimmable", "brightness").unit());
    assertProp("light.dimmable", "color_temp", PropertyType.INT, true);
    assertEquals(2000.0, prop("light.dimmable", "color_temp").min());
    assertEquals(6500.0, prop("light.dimmable", "color_temp").max());
    ActionSpec blink = builtIn.get("light.dimmable").actions().get("blink");
    assertNotNull(blink);
    assertEquals(PropertyType.INT, blink.input().get("times").type());
    assertTrue(blink.input().get("times").writable(), "action inputs default to rw");
    assertEquals(PropertyType.FLOAT, builtIn.get("light.dimmable").events().get("overheat").data().get("temp").type());
  }

  @Test
  void plug() {
    assertProp("plug", "power", PropertyType.BOOL, true);
    assertProp("plug", "power_w", PropertyType.FLOAT, false);
    assertProp("plug", "energy_kwh", PropertyType.FLOAT, false);
  }

  @Test
  void thermostat() {
    assertProp("thermostat", "target_temp", PropertyType.FLOAT, true);
    PropertySpec target = prop("thermostat", "target_temp");
    assertEquals(5.0, target.min());
    assertEquals(35.0, target.max());
    assertEquals(0.5, target.step());
    assertProp("thermostat", "current_temp", PropertyType.FLOAT, false);
    assertProp("thermostat", "mode", PropertyType.ENUM, true);
    // YAML 1.1 would read a bare off as false: the value must stay the string "off"
    assertEquals(List.of("off", "heat", "cool", "auto"), prop("thermostat", "mode").values());
    assertEquals("off", prop("thermostat", "mode").normalize("off"));
  }

  @Test
  void sensors() {
    for (String p : List.of("temperature", "humidity")) {
      assertProp("sensor.climate", p, PropertyType.FLOAT, false);
    }
    assertProp("sensor.climate", "battery", PropertyType.INT, false);
    assertProp("sensor.contact", "open", PropertyType.BOOL, false);
  }

  @Test
  void lockAndCurtain() {
    assertProp("lock", "locked", PropertyType.BOOL, true);
    assertTrue(builtIn.get("lock").events().containsKey("jammed"));
    assertProp("curtain", "position", PropertyType.INT, true);
    assertEquals(0.0, prop("curtain", "position").min());
    assertEquals(100.0, prop("curtain", "position").max());
    assertEquals(Set.of("open", "close", "stop"), builtIn.get("curtain").actions().keySet());
  }

  // ---- good files

  @Test
  void jsonProfilesLoadToo() throws IOException {
    Files.writeString(dir.resolve("fan.json"), """
        {"id":"fan","properties":{"speed":{"type":"enum","values":["low","high"],"mode":"rw"},
         "label":{"type":"string","maxLength":12}}}""");
    Map<String, Profile> loaded = ProfileLoader.loadFolder(dir);
    PropertySpec speed = loaded.get("fan").property("speed");
    assertEquals(List.of("low", "high"), speed.values());
    assertFalse(loaded.get("fan").property("label").writable(), "properties default to read-only");
    assertEquals(12, loaded.get("fan").property("label").maxLength());
    assertEquals("fan", loaded.get("fan").name());
  }

  @Test
  void otherFilesInTheFolderAreIgnored() throws IOException {
    Files.writeString(dir.resolve("README.md"), "# not a profile: {");
    Files.writeString(dir.resolve("a.yml"), "id: a\nproperties: { on: { type: bool } }\n");
    assertEquals(Set.of("a"), ProfileLoader.loadFolder(dir).keySet());
  }

  @Test
  void unquotedYamlOffInEnumValuesStaysOff() throws IOException {
    // GIVEN a user profile that writes the enum values without quotes
    Files.writeString(dir.resolve("heater.yaml"),
        "id: heater\nproperties:\n  mode: { type: enum, values: [off, on, yes, no], mode: rw }\n");
    // THEN each value keeps the text the user wrote
    assertEquals(List.of("off", "on", "yes", "no"), ProfileLoader.loadFolder(dir).get("heater").property("mode").values());
  }

  // ---- malformed files: one line naming the file

  private String failure(String fileName, String text) throws IOException {
    Path f = dir.resolve(fileName);
    Files.writeString(f, text);
    ConfigException e = assertThrows(ConfigException.class, () -> ProfileLoader.loadFolder(dir),
        () -> "accepted " + fileName + ": " + text);
    assertFalse(e.getMessage().contains("\n"), () -> "not one line: " + e.getMessage());
    assertTrue(e.getMessage().contains(f.toString()), () -> "file not named: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void syntaxError() throws IOException {
    assertTrue(failure("bad.yaml", "id: bad\nproperties: { power: { type: bool\n").startsWith("cannot read profile file"));
    assertTrue(failure("bad.json", "{\"id\": \"bad\",,}").startsWith("cannot read profile file"));
  }

  @Test
  void notAMapping() throws IOException {
    assertTrue(failure("list.yaml", "- a\n- b\n").endsWith("must be a mapping"));
  }

  @Test
  void missingOrBadId() throws IOException {
    assertTrue(failure("noid.yaml", "properties: { power: { type: bool } }\n").contains("'id'"));
    Files.delete(dir.resolve("noid.yaml"));
    assertTrue(failure("upper.yaml", "id: Light\n").contains("'id'"));
  }

  @Test
  void unknownType() throws IOException {
    String m = failure("t.yaml", "id: t\nproperties: { level: { type: double } }\n");
    assertTrue(m.contains("properties.level") && m.contains("'double'"), m);
  }

  @Test
  void unknownPropertyKey() throws IOException {
    String m = failure("t.yaml", "id: t\nproperties: { level: { type: int, maximum: 3 } }\n");
    assertTrue(m.contains("properties.level") && m.contains("'maximum'"), m);
  }

  @Test
  void badMode() throws IOException {
    String m = failure("t.yaml", "id: t\nproperties: { level: { type: int, mode: w } }\n");
    assertTrue(m.contains("mode must be r or rw"), m);
  }

  @Test
  void enumWithoutValues() throws IOException {
    String m = failure("t.yaml", "id: t\nproperties: { m: { type: enum } }\n");
    assertTrue(m.contains("properties.m") && m.contains("needs values"), m);
  }

  @Test
  void minAboveMaxAndBadStep() throws IOException {
    assertTrue(failure("t.yaml", "id: t\nproperties: { l: { type: int, min: 9, max: 1 } }\n").contains("min > max"));
    assertTrue(failure("t.yaml", "id: t\nproperties: { l: { type: float, step: 0 } }\n").contains("step <= 0"));
    assertTrue(failure("t.yaml", "id: t\nproperties: { l: { type: float, min: low } }\n")
        .contains("min must be a number"));
  }

  @Test
  void sectionsThatAreNotMappings() throws IOException {
    assertTrue(failure("t.yaml", "id: t\nproperties: [power]\n").contains("'properties' must be a mapping"));
    assertTrue(failure("t.yaml", "id: t\nproperties: { power: bool }\n").contains("'properties.power' must be a mapping"));
    assertTrue(failure("t.yaml", "id: t\nactions: { open: now }\n").contains("'actions.open' must be a mapping"));
  }

  @Test
  void duplicateProfileId() throws IOException {
    Files.writeString(dir.resolve("a.yaml"), "id: same\n");
    String m = failure("b.yaml", "id: same\n");
    assertTrue(m.contains("duplicate profile id 'same'"), m);
  }

  @Test
  void unknownTopLevelKeyIsRefused() throws IOException {
    String m = failure("t.yaml", "id: t\npropertes: { power: { type: bool, mode: rw } }\n");
    assertTrue(m.contains("'propertes'"), m);
  }

  @Test
  void nonNumericMaxLengthIsRefused() throws IOException {
    String m = failure("t.yaml", "id: t\nproperties: { label: { type: string, maxLength: long } }\n");
    assertTrue(m.contains("maxLength"), m);
  }

  @Test
  void missingFolder() {
    ConfigException e = assertThrows(ConfigException.class, () -> ProfileLoader.loadFolder(dir.resolve("none")));
    assertTrue(e.getMessage().startsWith("profiles folder " + dir.resolve("none") + " (config key 'profiles')"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("or remove the key to use the built-in profiles only"), e.getMessage());
  }
}
