package io.hearth.adapter.mqtt;

import io.hearth.adapter.DeviceAdapter.Confirmation;
import io.hearth.adapter.DeviceCommand;
import io.hearth.adapter.Supports;
import io.hearth.adapter.payload.MalformedPayloadException;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One MQTT device convention ({@code hearth}, {@code tasmota}, {@code zigbee2mqtt}): a table of
 * topics plus small value codecs, in the manner of openHAB's MQTT binding. Implementations are
 * stateless and thread-safe; the adapter owns connections, routing and threads.
 *
 * <p>Every topic filter a convention returns is either an exact topic or ends in a single-level
 * wildcard ({@code .../+}); the adapter routes inbound topics to devices with that assumption.
 */
public interface MqttConvention {

  /** The {@code binding.convention} name. */
  String name();

  /** How commands under this convention are confirmed. */
  Confirmation confirmation();

  /** Topic filters the gateway subscribes (QoS 1) to hear this device. */
  List<String> subscriptions(DeviceDefinition device);

  /**
   * Filters that cover every one of {@link #subscriptions} of this device and the same topics of
   * every other device of the convention (e.g. {@code hearth/+/state}): what the adapter holds on
   * the broker when it shares subscriptions (docs/conventions-mqtt.md, "Subscriptions"). The
   * default, and a device whose topic stem spans several levels: its own filters.
   */
  default List<String> sharedSubscriptions(DeviceDefinition device) {
    return subscriptions(device);
  }

  /**
   * What this convention can carry for a device of that profile: what {@link #decode} reports,
   * what {@link #encode} sets and the actions it sends. The default is the whole profile.
   */
  default Supports supports(DeviceDefinition device, Profile profile) {
    return Supports.all(profile);
  }

  /**
   * Encodes a command into the publishes to send, in order.
   *
   * @throws IllegalArgumentException if this convention cannot express the command (e.g. an
   *     action under a convention without actions); the message is fit for the command's error
   */
  List<Outbound> encode(DeviceDefinition device, DeviceCommand command);

  /**
   * Decodes one inbound message on one of this device's topics.
   *
   * @param commanded the last values the gateway commanded this device to (property name to
   *     value); a lossy codec (Kelvin to mired) uses it to report back exactly what was commanded
   *     when the device echoes it. May be empty.
   * @return what the message means, or empty for a message that carries nothing to report
   *     (cleared retained message, a topic the convention ignores)
   * @throws MalformedPayloadException if the payload is garbage
   */
  Optional<Inbound> decode(DeviceDefinition device, String topic, byte[] payload, boolean retained,
      Instant receivedAt, Map<String, Object> commanded);

  /**
   * The topic filters this device itself may publish and subscribe on the broker: exactly what
   * the convention needs, so that one device can neither read nor write another's topics.
   */
  TopicPermissions permissions(DeviceDefinition device);

  /** The MQTT topic stem of a device: {@code binding.topic}, or its id when absent. */
  static String stem(DeviceDefinition device) {
    String topic = MqttBinding.of(device).topic();
    return topic == null || topic.isBlank() ? device.id() : topic;
  }
}
