package io.hearth.gateway.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.Supports;
import io.hearth.device.Profile;
import io.hearth.gateway.domain.FieldError;
import io.hearth.gateway.domain.ValidationException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tier 1: {@link CommandValidator} against the shipped profiles — one error per problem, normalised output. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CommandValidatorTest {
  private static Profile light;
  private static Profile thermostat;
  private static Profile plug;
  private static Profile curtain;
  private static Profile contact;

  @BeforeAll
  static void load() {
    Map<String, Profile> p = ProfileLoader.loadFolder(Path.of("../config/profiles"));
    light = p.get("light.dimmable");
    thermostat = p.get("thermostat");
    plug = p.get("plug");
    curtain = p.get("curtain");
    contact = p.get("sensor.contact");
  }

  private static List<FieldError> setErrors(Profile profile, Map<String, Object> set) {
    ValidationException e = assertThrows(ValidationException.class,
        () -> CommandValidator.validateSet(profile, set), () -> "accepted " + set);
    return e.errors();
  }

  private static List<FieldError> actionErrors(Profile profile, String action, Map<String, Object> input) {
    ValidationException e = assertThrows(ValidationException.class,
        () -> CommandValidator.validateAction(profile, action, input), () -> "accepted " + action + " " + input);
    return e.errors();
  }

  private static FieldError only(List<FieldError> errors) {
    assertEquals(1, errors.size(), errors::toString);
    return errors.get(0);
  }

  @Test
  void aPropertyOrActionTheBindingCannotCarryIsAnErrorNamingIt() {
    Supports onlyPower = Supports.of(light, List.of("power", "brightness"), List.of("power"), List.of());
    ValidationException e = assertThrows(ValidationException.class,
        () -> CommandValidator.validateSet(light, onlyPower, Map.of("power", true, "color_temp", 3000)));
    FieldError f = only(e.errors());
    assertEquals("color_temp", f.property());
    assertTrue(f.message().contains("power"), f.message());
    assertEquals(Map.of("power", true), CommandValidator.validateSet(light, onlyPower, Map.of("power", true)));
    // profile problems still come first, one per property
    ValidationException both = assertThrows(ValidationException.class,
        () -> CommandValidator.validateSet(light, onlyPower, Map.of("brightness", 500, "colour", "red")));
    assertEquals(2, both.errors().size(), both.errors()::toString);
    ValidationException a = assertThrows(ValidationException.class,
        () -> CommandValidator.validateAction(curtain, Supports.all(curtain).withoutActions(), "open", Map.of()));
    assertEquals("action", only(a.errors()).property());
    assertTrue(only(a.errors()).message().contains("none"), only(a.errors()).message());
  }

  @Test
  void validSetIsNormalisedToPropertyTypes() {
    Map<String, Object> out = CommandValidator.validateSet(light, Map.of("power", true, "brightness", 60.0));
    assertEquals(Map.of("power", true, "brightness", 60L), out);
    assertInstanceOf(Long.class, out.get("brightness"));
    Map<String, Object> t = CommandValidator.validateSet(thermostat, Map.of("target_temp", 22, "mode", "heat"));
    assertEquals(Map.of("target_temp", 22.0, "mode", "heat"), t);
    assertInstanceOf(Double.class, t.get("target_temp"));
    assertEquals(Map.of("mode", "off"), CommandValidator.validateSet(thermostat, Map.of("mode", "off")));
    assertEquals(Map.of("target_temp", 22.5), CommandValidator.validateSet(thermostat, Map.of("target_temp", 22.5)));
  }

  @Test
  void unknownProperty() {
    FieldError e = only(setErrors(light, Map.of("colour", "red")));
    assertEquals("colour", e.property());
    assertTrue(e.message().contains("light.dimmable"), e.message());
  }

  @Test
  void readOnlyProperty() {
    assertEquals(new FieldError("power_w", "is read-only"), only(setErrors(plug, Map.of("power_w", 10.0))));
    assertEquals(new FieldError("open", "is read-only"), only(setErrors(contact, Map.of("open", true))));
  }

  @Test
  void wrongType() {
    assertEquals(new FieldError("power", "must be a boolean"), only(setErrors(light, Map.of("power", "on"))));
    assertEquals(new FieldError("brightness", "must be an integer"), only(setErrors(light, Map.of("brightness", 60.5))));
  }

  @Test
  void outOfRangeAndOffStep() {
    assertEquals(new FieldError("brightness", "must be ≤ 100"), only(setErrors(light, Map.of("brightness", 101))));
    assertEquals(new FieldError("target_temp", "must be ≥ 5"), only(setErrors(thermostat, Map.of("target_temp", 4))));
    assertEquals(new FieldError("target_temp", "must be a multiple of 0.5 from 5"),
        only(setErrors(thermostat, Map.of("target_temp", 22.3))));
  }

  @Test
  void badEnum() {
    FieldError e = only(setErrors(thermostat, Map.of("mode", "eco")));
    assertEquals("mode", e.property());
    assertEquals("must be one of [off, heat, cool, auto]", e.message());
  }

  @Test
  void emptySet() {
    assertEquals("set", only(setErrors(light, Map.of())).property());
  }

  @Test
  void everyProblemIsReportedAtOnceInRequestOrder() {
    // GIVEN a request with five distinct problems and one good value
    Map<String, Object> set = new LinkedHashMap<>();
    set.put("power", "yes");
    set.put("brightness", 250);
    set.put("colour", "red");
    set.put("color_temp", 3000);
    set.put("mode", "heat");
    set.put("nothing", null);
    // WHEN it is validated
    List<FieldError> errors = setErrors(light, set);
    // THEN each bad entry gets one error, in order, and the good one none
    assertEquals(List.of("power", "brightness", "colour", "mode", "nothing"),
        errors.stream().map(FieldError::property).toList());
    ValidationException e = assertThrows(ValidationException.class, () -> CommandValidator.validateSet(light, set));
    assertEquals("5 problems in the request", e.getMessage());
  }

  @Test
  void singleProblemDetailNamesIt() {
    ValidationException e = assertThrows(ValidationException.class,
        () -> CommandValidator.validateSet(light, Map.of("brightness", -1)));
    assertEquals("brightness must be ≥ 0", e.getMessage());
  }

  // ---- actions

  @Test
  void validActionInputIsNormalised() {
    assertEquals(Map.of("times", 3L), CommandValidator.validateAction(light, "blink", Map.of("times", 3.0)));
    assertEquals(Map.of(), CommandValidator.validateAction(curtain, "open", Map.of()));
    assertEquals(Map.of(), CommandValidator.validateAction(light, "blink", Map.of()));
  }

  @Test
  void unknownAction() {
    FieldError e = only(actionErrors(curtain, "toggle", Map.of()));
    assertEquals("action", e.property());
    assertTrue(e.message().contains("'toggle'") && e.message().contains("open"), e.message());
    assertTrue(only(actionErrors(contact, "open", Map.of())).message().contains("(it has none)"));
  }

  @Test
  void badActionInput() {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("times", 11);
    input.put("speed", 2);
    List<FieldError> errors = actionErrors(light, "blink", input);
    assertEquals(List.of(new FieldError("input.times", "must be ≤ 10"),
        new FieldError("input.speed", "is not an input of action blink")), errors);
    assertEquals("input.times", only(actionErrors(light, "blink", Map.of("times", "3"))).property());
  }
}
