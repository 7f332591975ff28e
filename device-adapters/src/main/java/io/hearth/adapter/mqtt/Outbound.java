package io.hearth.adapter.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One MQTT publish a convention wants sent for a command.
 *
 * @param topic   exact topic (no wildcards)
 * @param payload message body
 */
public record Outbound(String topic, byte[] payload) {
  public Outbound {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
  }

  /** The payload as UTF-8 text (for logs and tests). */
  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Outbound other && topic.equals(other.topic)
        && java.util.Arrays.equals(payload, other.payload);
  }

  @Override
  public int hashCode() {
    return 31 * topic.hashCode() + java.util.Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "Outbound[topic=" + topic + ", payload=" + payloadText() + "]";
  }
}
