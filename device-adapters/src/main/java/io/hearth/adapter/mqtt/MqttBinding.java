package io.hearth.adapter.mqtt;

import io.hearth.device.Binding;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.PowerSource;
import java.util.Objects;

/**
 * The binding of an MQTT device ({@code protocol: mqtt}); parsed and stored by {@link MqttTransport}.
 *
 * @param convention  {@code hearth}, {@code tasmota} or {@code zigbee2mqtt}
 * @param topic       topic stem (tasmota, zigbee2mqtt: defaults to the device id); null for hearth
 * @param credentials user name and password the device uses on the embedded broker, or null
 * @param bridge      zigbee2mqtt: the id of the {@link MqttBridge} the device is behind, or null for a
 *                    device on its own connection
 * @param baseTopic   the bridge's base topic (resolved from {@code bridge} when parsed), or null
 */
public record MqttBinding(String convention, String topic, Credentials credentials, String bridge,
    String baseTopic) implements Binding {
  /** The {@code binding.protocol} of MQTT devices. */
  public static final String PROTOCOL = "mqtt";

  public MqttBinding {
    convention = convention == null ? HearthConvention.NAME : convention;
  }

  /** A binding not behind a bridge. */
  public MqttBinding(String convention, String topic, Credentials credentials) {
    this(convention, topic, credentials, null, null);
  }

  /** Zigbee2MQTT reports no availability by default: its devices are timed out by silence, as mains. */
  @Override
  public PowerSource assumedPowerSource() {
    return Zigbee2MqttConvention.NAME.equals(convention) ? PowerSource.MAINS : null;
  }

  @Override
  public String protocol() {
    return PROTOCOL;
  }

  /** A copy with other credentials (e.g. generated ones). */
  public MqttBinding withCredentials(Credentials newCredentials) {
    return new MqttBinding(convention, topic, newCredentials, bridge, baseTopic);
  }

  /**
   * The MQTT binding of a device.
   *
   * @throws IllegalArgumentException if the device is bound over another protocol
   */
  public static MqttBinding of(DeviceDefinition device) {
    if (device.binding() instanceof MqttBinding b) {
      return b;
    }
    throw new IllegalArgumentException("device '" + device.id() + "' is bound over "
        + device.binding().protocol() + ", not " + PROTOCOL);
  }

  /** The user name and password of a device on the broker. */
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
