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
}
