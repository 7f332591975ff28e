package io.hearth.gateway;

import io.hearth.adapter.Transports;

/** The gateway's own transport registration, for tests that parse or store bindings but start no adapter. */
public final class TestTransports {
  private TestTransports() {}

  /** MQTT and CoAP as the gateway registers them; creating the MQTT adapter fails. */
  public static Transports standard() {
    return GatewayTransports.forReading();
  }
}
