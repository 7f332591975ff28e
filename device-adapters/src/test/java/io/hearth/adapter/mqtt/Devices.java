package io.hearth.adapter.mqtt;

import io.hearth.adapter.DeviceCommand;
import io.hearth.device.DeviceDefinition;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** Test fixtures: device definitions and commands. */
final class Devices {
  private Devices() {}

  static DeviceDefinition mqtt(String id, String convention, String topic) {
    return mqtt(id, convention, topic, "light.dimmable");
  }

  static DeviceDefinition mqtt(String id, String convention, String topic, String profile) {
    return new DeviceDefinition(id, null, null, profile, new MqttBinding(convention, topic, null));
  }

  static DeviceCommand set(String deviceId, Map<String, Object> props) {
    return new DeviceCommand("c-1", deviceId, props, null, null, Instant.now().plusSeconds(5));
  }

  static DeviceCommand action(String deviceId, String action, Map<String, Object> input) {
    return new DeviceCommand("c-2", deviceId, null, action, input, Instant.now().plusSeconds(5));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
