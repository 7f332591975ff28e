package io.hearth.sim.mqtt;

import java.util.Objects;

/**
 * One MQTT message a simulated device publishes (QoS 1).
 *
 * @param topic   topic name
 * @param payload bytes
 * @param retain  whether the broker keeps it for later subscribers
 */
public record Publication(String topic, byte[] payload, boolean retain) {
  public Publication {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
  }
}
