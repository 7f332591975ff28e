package io.hearth.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.device.PropertySpec.InvalidValueException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tier 1: {@link PropertySpec#normalize(Object)} — every type, range, step and the number normalisation. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PropertySpecTest {

  private static final PropertySpec POWER = spec("power", PropertyType.BOOL, null, null, null);
  private static final PropertySpec BRIGHTNESS = spec("brightness", PropertyType.INT, 0.0, 100.0, null);
  private static final PropertySpec ANY_INT = spec("count", PropertyType.INT, null, null, null);
  private static final PropertySpec TARGET = spec("target_temp", PropertyType.FLOAT, 5.0, 35.0, 0.5);
  private static final PropertySpec TEMPERATURE = spec("temperature", PropertyType.FLOAT, null, null, null);
  private static final PropertySpec MODE = new PropertySpec("mode", PropertyType.ENUM, true, null, null, null, null,
      List.of("off", "heat", "cool", "auto"), null);
  private static final PropertySpec LABEL = new PropertySpec("label", PropertyType.STRING, true, null, null, null,
      null, null, 5);

  private static PropertySpec spec(String name, PropertyType type, Double min, Double max, Double step) {
    return new PropertySpec(name, type, true, min, max, step, null, null, null);
  }

  private static String rejection(PropertySpec spec, Object value) {
    return assertThrows(InvalidValueException.class, () -> spec.normalize(value),
        () -> spec.name() + " accepted " + value).getMessage();
  }

  // ---- bool

  @Test
  void boolAcceptsOnlyBooleans() {
    assertEquals(true, POWER.normalize(true));
    assertEquals(false, POWER.normalize(Boolean.FALSE));
    assertEquals("must be a boolean", rejection(POWER, "true"));
    assertEquals("must be a boolean", rejection(POWER, 1));
    assertEquals("must be a boolean", rejection(POWER, 0L));
  }

  @Test
  void nullIsRejectedForEveryType() {
    for (PropertySpec s : List.of(POWER, BRIGHTNESS, TARGET, MODE, LABEL)) {
      assertEquals("must not be null", rejection(s, null));
    }
  }

  // ---- int

  @Test
  void intNormalisesEveryIntegralNumberToLong() {
    // GIVEN the integral types a JSON decoder may hand over
    // THEN every one comes out as a Long
    for (Object v : List.of(40, 40L, (short) 40, (byte) 40, 40.0, 40.0f, new BigDecimal("40"), BigInteger.valueOf(40))) {
      Object n = BRIGHTNESS.normalize(v);
      assertInstanceOf(Long.class, n, () -> "from " + v.getClass().getSimpleName());
      assertEquals(40L, n);
    }
  }

  @Test
  void intRangeIsInclusive() {
    assertEquals(0L, BRIGHTNESS.normalize(0));
    assertEquals(100L, BRIGHTNESS.normalize(100));
    assertEquals("must be ≤ 100", rejection(BRIGHTNESS, 101));
    assertEquals("must be ≥ 0", rejection(BRIGHTNESS, -1));
    assertEquals("must be ≤ 100", rejection(BRIGHTNESS, Long.MAX_VALUE));
  }

  @Test
  void intRefusesFractionsStringsAndBooleans() {
    assertEquals("must be an integer", rejection(BRIGHTNESS, 40.5));
    assertEquals("must be an integer", rejection(BRIGHTNESS, "40"));
    assertEquals("must be an integer", rejection(BRIGHTNESS, true));
  }

  @Test
  void intRefusesNonFiniteAndHugeDoubles() {
    // 1e300 is "integral" as a double but no long holds it; beyond 2^53 doubles are not exact
    for (double d : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, -1e300,
        1e16}) {
      assertEquals("must be an integer", rejection(ANY_INT, d), () -> "accepted " + d);
    }
    assertEquals(9_007_199_254_740_992L, ANY_INT.normalize(9.007199254740992E15));
  }

  @Test
  void intWithoutRangeKeepsLargeLongsExactly() {
    assertEquals(Long.MAX_VALUE, ANY_INT.normalize(Long.MAX_VALUE));
    assertEquals(-5L, ANY_INT.normalize(-5));
  }

  @Test
  void intWithStepCountsFromMin() {
    PropertySpec everyTenFrom5 = spec("level", PropertyType.INT, 5.0, 95.0, 10.0);
    assertEquals(15L, everyTenFrom5.normalize(15));
    assertEquals(95L, everyTenFrom5.normalize(95));
    assertEquals("must be a multiple of 10 from 5", rejection(everyTenFrom5, 20));
  }

  // ---- float

  @Test
  void floatNormalisesEveryNumberToDouble() {
    for (Object v : List.of(22, 22L, 22.0f, 22.0, new BigDecimal("22"))) {
      Object n = TEMPERATURE.normalize(v);
      assertInstanceOf(Double.class, n, () -> "from " + v.getClass().getSimpleName());
      assertEquals(22.0, n);
    }
    assertEquals(-12.25, TEMPERATURE.normalize(-12.25));
  }

  @Test
  void floatRefusesNonFiniteAndNonNumbers() {
    assertEquals("must be a finite number", rejection(TEMPERATURE, Double.NaN));
    assertEquals("must be a finite number", rejection(TEMPERATURE, Double.POSITIVE_INFINITY));
    assertEquals("must be a finite number", rejection(TEMPERATURE, Float.NEGATIVE_INFINITY));
    assertEquals("must be a number", rejection(TEMPERATURE, "22.5"));
    assertEquals("must be a number", rejection(TEMPERATURE, false));
  }

  @ParameterizedTest
  @ValueSource(doubles = {5.0, 5.5, 22.0, 22.5, 34.5, 35.0})
  void halfStepsFromMinAreAccepted(double v) {
    assertEquals(v, TARGET.normalize(v));
  }

  @ParameterizedTest
  @ValueSource(doubles = {22.3, 22.25, 5.1, 34.9, 22.500001})
  void offStepValuesAreRejected(double v) {
    assertEquals("must be a multiple of 0.5 from 5", rejection(TARGET, v));
  }

  @Test
  void floatRangeIsCheckedBeforeStep() {
    assertEquals("must be ≥ 5", rejection(TARGET, 4.5));
    assertEquals("must be ≤ 35", rejection(TARGET, 35.5));
    assertEquals(22.0, TARGET.normalize(22L), "an integral Long on the step grid is fine");
  }

  @Test
  void stepWithoutMinCountsFromZero() {
    PropertySpec tenths = spec("offset", PropertyType.FLOAT, null, null, 0.1);
    assertEquals(0.3, tenths.normalize(0.3), "0.3 is a multiple of 0.1 although 0.3/0.1 is not exact in binary");
    assertEquals(-0.7, tenths.normalize(-0.7));
    assertEquals("must be a multiple of 0.1", rejection(tenths, 0.25));
  }

  // ---- enum, string

  @Test
  void enumAcceptsOnlyListedStrings() {
    assertEquals("off", MODE.normalize("off"));
    assertEquals("auto", MODE.normalize("auto"));
    assertEquals("must be one of [off, heat, cool, auto]", rejection(MODE, "OFF"));
    assertEquals("must be one of [off, heat, cool, auto]", rejection(MODE, false));
    assertEquals("must be one of [off, heat, cool, auto]", rejection(MODE, ""));
  }

  @Test
  void stringHonoursMaxLength() {
    assertEquals("hello", LABEL.normalize("hello"));
    assertEquals("", LABEL.normalize(""));
    assertEquals("must be at most 5 characters", rejection(LABEL, "hello!"));
    assertEquals("must be a string", rejection(LABEL, 5));
  }

  // ---- construction, helpers

  @Test
  void inconsistentSpecsAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new PropertySpec("m", PropertyType.ENUM, true, null, null, null, null, List.of(), null));
    assertThrows(IllegalArgumentException.class, () -> spec("x", PropertyType.INT, 10.0, 1.0, null));
    assertThrows(IllegalArgumentException.class, () -> spec("x", PropertyType.FLOAT, null, null, 0.0));
    assertThrows(IllegalArgumentException.class, () -> spec("x", PropertyType.FLOAT, null, null, -0.5));
    assertThrows(NullPointerException.class, () -> spec("x", null, null, null, null));
  }

  @Test
  void tryNormalizeIsEmptyInsteadOfThrowing() {
    assertEquals(Optional.of(60L), BRIGHTNESS.tryNormalize(60.0));
    assertEquals(Optional.empty(), BRIGHTNESS.tryNormalize(160));
    assertEquals(Optional.empty(), BRIGHTNESS.tryNormalize(null));
  }

  @Test
  void numericHistoryForNumbersAndBooleansOnly() {
    assertTrue(POWER.hasNumericHistory());
    assertTrue(BRIGHTNESS.hasNumericHistory());
    assertTrue(TARGET.hasNumericHistory());
    assertFalse(MODE.hasNumericHistory());
    assertFalse(LABEL.hasNumericHistory());
  }

  @Test
  void typeNamesParseCaseInsensitivelyAndUnknownOnesAreNamed() {
    assertEquals(PropertyType.FLOAT, PropertyType.parse(" Float "));
    assertEquals("enum", PropertyType.ENUM.wireName());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PropertyType.parse("double"));
    assertTrue(e.getMessage().contains("'double'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PropertyType.parse(null));
  }
}
