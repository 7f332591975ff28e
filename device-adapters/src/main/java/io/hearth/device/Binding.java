package io.hearth.device;

/**
 * How a device is reached: the {@code binding:} of a {@code devices.yaml} entry. Each transport
 * owns its binding record (MQTT: {@code io.hearth.adapter.mqtt.MqttBinding}, CoAP:
 * {@code io.hearth.adapter.coap.CoapBinding}) and parses, validates and stores it itself through
 * its {@code io.hearth.adapter.Transport}; this shared type names only what every binding has.
 * See docs/devices.md.
 */
public interface Binding {

  /** The {@code binding.protocol}: the name of the transport that owns this binding. */
  String protocol();

  /** The {@code binding.convention}: one of the conventions that transport offers. */
  String convention();

  /**
   * The power source to assume when the device declares none, for a convention that reports no
   * availability of its own, so that only the device's silence can tell it is gone (Zigbee2MQTT:
   * mains, as Zigbee2MQTT's own availability assumes); null when the convention reports
   * availability itself (a will, an observation) and silence alone proves nothing.
   * See docs/devices.md#availability-and-sleepy-devices.
   */
  default PowerSource assumedPowerSource() {
    return null;
  }
}
