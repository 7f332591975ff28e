package io.hearth.device;

import java.util.Map;
import java.util.Objects;

/**
 * How a device is reached: {@code binding:} of a {@code devices.yaml} entry.
 *
 * @param protocol    {@code mqtt} or {@code coap}
 * @param convention  {@code hearth}, {@code tasmota}, {@code zigbee2mqtt} (MQTT); {@code hearth}, {@code generic} (CoAP)
 * @param topic       MQTT topic stem for tasmota/zigbee2mqtt (defaults to the device id); null for CoAP
 * @param uri         CoAP base URI, e.g. {@code coap://127.0.0.1:5701}; null for MQTT
 * @param statePath   CoAP {@code generic}: path of the observable state resource (default {@code /state})
 * @param write       CoAP {@code generic}: {@code replace} or {@code patch} (default {@code patch})
 * @param credentials MQTT username/password the device uses on the embedded broker, or null
 * @param extra       any further keys (e.g. DTLS identity and key), kept as given
 */
public record Binding(
    String protocol,
    String convention,
    String topic,
    String uri,
    String statePath,
    String write,
    Credentials credentials,
    Map<String, Object> extra) {

  public Binding {
    Objects.requireNonNull(protocol, "protocol");
    convention = convention == null ? "hearth" : convention;
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  /** A copy with other credentials (e.g. generated ones). */
  public Binding withCredentials(Credentials newCredentials) {
    return new Binding(protocol, convention, topic, uri, statePath, write, newCredentials, extra);
  }

  /** MQTT credentials of a device. */
  public record Credentials(String username, String password) {
    public Credentials {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "Credentials[username=" + username + ", password=***]";
    }
  }
}
