package io.hearth.sim.mqtt;

import io.hearth.sim.SimDeviceSpec;

/** Picks the convention of a device spec. */
final class Conventions {

  private Conventions() {
  }

  /**
   * @throws IllegalArgumentException for an unknown convention or a profile it cannot carry
   */
  static MqttConvention of(SimDeviceSpec spec) {
    switch (spec.convention()) {
      case "hearth":
        return new HearthConvention(spec.id());
      case "zigbee2mqtt":
        return new Zigbee2MqttConvention(spec.topic(), spec.profile());
      default:
        throw new IllegalArgumentException("unknown MQTT convention " + spec.convention() + " of device "
            + spec.id() + " (hearth, zigbee2mqtt; tasmota devices are io.hearth.sim.tasmota.TasmotaSimDevice)");
    }
  }
}
