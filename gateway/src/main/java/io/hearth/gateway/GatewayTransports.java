package io.hearth.gateway;

import io.hearth.adapter.Transports;
import io.hearth.adapter.coap.CoapAdapterOptions;
import io.hearth.adapter.coap.CoapTransport;
import io.hearth.adapter.mqtt.MqttAdapterOptions;
import io.hearth.adapter.mqtt.MqttTransport;
import io.hearth.gateway.broker.DeviceCredentials;
import java.util.function.Supplier;

/**
 * The transports the gateway speaks: the one place a transport is registered. Adding one (say
 * Matter or BLE) is a new package in device-adapters plus one line here; docs/devices.md
 * ("Adding a transport") has the steps.
 */
public final class GatewayTransports {
  private GatewayTransports() {}

  /**
   * @param credentials the embedded broker's accounts, kept in step with the MQTT devices
   * @param mqtt        how the MQTT adapter connects, read when the adapter is created (after the
   *                    embedded broker started)
   */
  public static Transports create(DeviceCredentials credentials, Supplier<MqttAdapterOptions> mqtt) {
    return create(credentials, mqtt, CoapAdapterOptions.defaults());
  }

  /** The same with these CoAP adapter settings ({@code coap.*} timings). */
  public static Transports create(DeviceCredentials credentials, Supplier<MqttAdapterOptions> mqtt,
      CoapAdapterOptions coap) {
    return create(credentials, mqtt, coap, false);
  }

  /**
   * The same; {@code embeddedBroker}: the MQTT adapter talks to the embedded HiveMQ and shares its
   * subscriptions per convention ({@code hearth/+/state}, docs/conventions-mqtt.md, "Subscriptions").
   */
  public static Transports create(DeviceCredentials credentials, Supplier<MqttAdapterOptions> mqtt,
      CoapAdapterOptions coap, boolean embeddedBroker) {
    return Transports.of(
        new MqttTransport(credentials, mqtt, embeddedBroker),
        new CoapTransport(coap));
  }

  /**
   * The same transports for reading and checking bindings only (a devices file, a store), as tools
   * and tests do: they admit devices to no broker, and creating the MQTT adapter from them fails.
   */
  public static Transports forReading() {
    return create(new DeviceCredentials(), () -> {
      throw new IllegalStateException("these transports only read bindings: no MQTT connection");
    });
  }
}
