package io.hearth.gateway.store;

import io.hearth.device.Binding;
import io.hearth.device.DeviceDefinition;
import java.time.Instant;
import java.util.Map;

/** Test data shared by the store tests. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-11-25T10:00:00.123Z");

  private Fixtures() {}

  static StoredDevice mqttDevice(String id, boolean fromConfig) {
    Binding binding = new Binding("mqtt", "tasmota", "tasmota_1A2B3C", null, null, null,
        new Binding.Credentials("dev-" + id, "s3cr\"et/π"), Map.of("qos", 1L, "nested", Map.of("ratio", 0.5)));
    DeviceDefinition definition = new DeviceDefinition(id, "Living room lamp", "living", "light.dimmable", binding);
    return new StoredDevice(definition, fromConfig);
  }

  static StoredDevice coapDevice(String id) {
    Binding binding = new Binding("coap", "generic", null, "coap://127.0.0.1:5702", "/state", "replace", null, null);
    return new StoredDevice(new DeviceDefinition(id, null, null, "light.dimmable", binding), false);
  }

  static DeviceStateSnapshot snapshot(String id, long version) {
    return new DeviceStateSnapshot(id,
        Map.of("power", true, "brightness", 40L, "target_temp", 40.0, "ratio", 0.1, "mode", "heat"),
        Map.of("brightness", 60L),
        Map.of("power", T0, "brightness", T0.plusMillis(5)),
        version, true, null, T0.plusSeconds(1));
  }
}
