package io.hearth.gateway.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.device.EventSpec;
import io.hearth.device.PropertySpec;
import io.hearth.device.PropertyType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventDataTest {
  private static final EventSpec OVERHEAT = new EventSpec("overheat", Map.of(
      "temp", new PropertySpec("temp", PropertyType.FLOAT, false, null, null, null, "°C", List.of(), null),
      "level", new PropertySpec("level", PropertyType.ENUM, false, null, null, null, null, List.of("warn", "trip"), null)));

  @Test
  void fittingDataIsNormalisedAndUndeclaredFieldsLeftOut() {
    Map<String, Object> out = EventData.check(OVERHEAT, Map.of("temp", 80, "level", "warn", "extra", "x"));
    assertEquals(Map.of("temp", 80.0, "level", "warn"), out);
  }

  @Test
  void aFieldThatDoesNotFitMakesTheEventInvalidNamingIt() {
    var e = assertThrows(PropertySpec.InvalidValueException.class,
        () -> EventData.check(OVERHEAT, Map.of("temp", "hot")));
    assertTrue(e.getMessage().startsWith("temp "), e.getMessage());
    assertThrows(PropertySpec.InvalidValueException.class,
        () -> EventData.check(OVERHEAT, Map.of("temp", 1.0, "level", "boom")));
  }

  @Test
  void anEventWithoutDataStaysEmpty() {
    assertEquals(Map.of(), EventData.check(new EventSpec("jammed", Map.of()), Map.of("why", "stuck")));
  }
}
