package io.hearth.adapter.mqtt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hearth.adapter.Supports;
import io.hearth.adapter.TestProfiles;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.hearth.device.PropertySpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a convention says it carries ({@link MqttConvention#supports}) is exactly what its
 * {@code encode} accepts, for every shipped profile: a property or action inside is encoded, one
 * outside is refused. The gateway relies on it to answer 422 instead of a failed send.
 */
@Timeout(10)
class SupportsMatchEncodeTest {
  private static final List<String> PROFILES = List.of("light.dimmable", "plug", "lock", "curtain", "thermostat",
      "sensor.contact", "sensor.climate");

  @Test
  void everyCarriedPropertyAndActionEncodesAndEveryOtherIsRefused() {
    for (String convention : List.of("tasmota", "zigbee2mqtt", "hearth")) {
      MqttConvention c = MqttConventions.forName(convention);
      for (String id : PROFILES) {
        Profile profile = TestProfiles.get(id);
        DeviceDefinition device = Devices.mqtt("dev", convention, convention.equals("hearth") ? null : "dev", id);
        Supports s = c.supports(device, profile);
        String where = convention + " " + id + " ";
        for (PropertySpec p : profile.properties().values()) {
          if (!p.writable()) {
            continue;
          }
          Map<String, Object> set = Map.of(p.name(), sample(p));
          if (s.canSet(p.name())) {
            assertFalse(c.encode(device, Devices.set("dev", set)).isEmpty(), where + p.name());
          } else {
            assertThrows(IllegalArgumentException.class, () -> c.encode(device, Devices.set("dev", set)), where + p.name());
          }
        }
        for (String action : profile.actions().keySet()) {
          if (s.canCall(action)) {
            assertFalse(c.encode(device, Devices.action("dev", action, Map.of())).isEmpty(), where + action);
          } else {
            assertThrows(IllegalArgumentException.class, () -> c.encode(device, Devices.action("dev", action, Map.of())),
                where + action);
          }
        }
      }
    }
  }

  /** A valid value of the property: its minimum (or a mid value), its first enum value, true. */
  private static Object sample(PropertySpec p) {
    return switch (p.type()) {
      case BOOL -> true;
      case INT -> p.min() == null ? 1L : (long) (double) p.min();
      case FLOAT -> p.min() == null ? 1.0 : p.min();
      case ENUM -> p.values().get(0);
      case STRING -> "x";
    };
  }
}
