package io.hearth.gateway.core;

import io.hearth.device.EventSpec;
import io.hearth.device.PropertySpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks a device event's data against its profile (docs/devices.md, "Events"): every field the
 * profile declares that the device sent must fit its spec, and comes out normalised (an int field
 * as a whole number, a float as a double); fields the profile does not declare are left out, as
 * unknown state properties are. A field that does not fit makes the whole event invalid: apps
 * never see {@code overheat {"temp":"hot"}}.
 */
final class EventData {
  private EventData() {}

  /**
   * The checked data.
   *
   * @throws PropertySpec.InvalidValueException naming the field that does not fit
   */
  static Map<String, Object> check(EventSpec spec, Map<String, Object> data) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : data.entrySet()) {
      PropertySpec field = spec.data().get(e.getKey());
      if (field == null) {
        continue;
      }
      try {
        out.put(e.getKey(), field.normalize(e.getValue()));
      } catch (PropertySpec.InvalidValueException x) {
        throw new PropertySpec.InvalidValueException(e.getKey() + " " + x.getMessage());
      }
    }
    return out;
  }
}
