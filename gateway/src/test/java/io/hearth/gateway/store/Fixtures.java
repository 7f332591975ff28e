package io.hearth.gateway.store;

import io.hearth.adapter.coap.CoapBinding;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.device.DeviceDefinition;
import java.time.Instant;
import java.util.Map;

/** Test data shared by the store tests. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2026-11-25T10:00:00.123Z");

  private Fixtures() {}

  static StoredDevice mqttDevice(String id, boolean fromConfig) {
    MqttBinding binding = new MqttBinding("tasmota", "tasmota_1A2B3C", new MqttBinding.Credentials("dev-" + id, "s3cr\"et/π"));
    DeviceDefinition definition = new DeviceDefinition(id, "Living room lamp", "living", "light.dimmable", binding);
    return new StoredDevice(definition, fromConfig);
  }

  static StoredDevice coapDevice(String id) {
    CoapBinding binding = new CoapBinding("generic", "coap://127.0.0.1:5702", "/state", "replace",
        Map.of("psk", Map.of("identity", "porch", "key", "k"), "qos", 1L, "nested", Map.of("ratio", 0.5)));
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
