package io.hearth.adapter.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.adapter.DeviceAdapter.Confirmation;
import io.hearth.adapter.DeviceCommand;
import io.hearth.adapter.StateReport;
import io.hearth.adapter.Supports;
import io.hearth.adapter.payload.JsonPayloads;
import io.hearth.adapter.payload.MalformedPayloadException;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code zigbee2mqtt} MQTT convention, as Zigbee2MQTT documents it, with topic {@code t} =
 * {@code binding.topic} (the friendly name; default: the device id):
 * <ul>
 *   <li>command: {@code zigbee2mqtt/t/set} with one JSON object of every property;
 *   <li>state: {@code zigbee2mqtt/t}, a JSON object;
 *   <li>availability: {@code zigbee2mqtt/t/availability}, {@code {"state":"online"}} or plain
 *       {@code online}/{@code offline}. Offline is reported with reason {@code timeout}: it is
 *       Zigbee2MQTT's availability check that gave up on the device.
 * </ul>
 * Which keys each profile maps to is {@link Zigbee2MqttMapping} (docs/conventions-mqtt.md has
 * the table with example payloads). No replies: a command is confirmed by a state report
 * showing its values (an action, by the next state report).
 */
final class Zigbee2MqttConvention implements MqttConvention {

  static final String NAME = "zigbee2mqtt";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Confirmation confirmation() {
    return Confirmation.STATE;
  }

  /**
   * {@code <base topic>/<friendly name>}: the base topic of the device's bridge
   * ({@code binding.bridge}), or {@code zigbee2mqtt} for a device on its own connection.
   */
  private static String base(DeviceDefinition device) {
    MqttBinding binding = MqttBinding.of(device);
    String baseTopic = binding.baseTopic();
    if (binding.bridge() != null && baseTopic == null) {
      throw new IllegalArgumentException("unknown bridge '" + binding.bridge() + "'");
    }
    return Topics.checkStem(baseTopic == null ? MqttBridge.DEFAULT_BASE_TOPIC : baseTopic) + "/"
        + Topics.checkStem(MqttConvention.stem(device));
  }

  @Override
  public List<String> subscriptions(DeviceDefinition device) {
    String b = base(device);
    return List.of(b, b + "/availability");
  }

  /** {@code <base topic>/+} and {@code <base topic>/+/availability} cover every one-level friendly name. */
  @Override
  public List<String> sharedSubscriptions(DeviceDefinition device) {
    String b = base(device);
    String name = Topics.checkStem(MqttConvention.stem(device));
    if (name.indexOf('/') >= 0) {
      return subscriptions(device);
    }
    String baseTopic = b.substring(0, b.length() - name.length() - 1);
    return List.of(baseTopic + "/+", baseTopic + "/+/availability");
  }

  @Override
  public TopicPermissions permissions(DeviceDefinition device) {
    String b = base(device);
    return new TopicPermissions(List.of(b, b + "/availability"), List.of(b + "/set", b + "/get"));
  }

  /** What {@link Zigbee2MqttMapping} carries for the device's profile. */
  @Override
  public Supports supports(DeviceDefinition device, Profile profile) {
    return Zigbee2MqttMapping.supports(profile);
  }

  @Override
  public List<Outbound> encode(DeviceDefinition device, DeviceCommand command) {
    Map<String, Object> body = Zigbee2MqttMapping.toZigbee(device.profileId(), command);
    return List.of(new Outbound(base(device) + "/set", JsonPayloads.encode(body)));
  }

  @Override
  public Optional<Inbound> decode(DeviceDefinition device, String topic, byte[] payload, boolean retained,
      Instant receivedAt, Map<String, Object> commanded) {
    String b = base(device);
    if (payload.length == 0) {
      return Optional.empty(); // a retained message being cleared (retained or forwarded live)
    }
    if (topic.equals(b + "/availability")) {
      return Optional.of(availability(device.id(), payload));
    }
    if (!topic.equals(b)) {
      return Optional.empty();
    }
    ObjectNode json = JsonPayloads.parseObject(payload);
    Map<String, Object> props = Zigbee2MqttMapping.fromZigbee(device.profileId(), json, commanded);
    return Optional.of(new Inbound.State(new StateReport(device.id(), props, receivedAt, retained)));
  }

  private static Inbound availability(String deviceId, byte[] payload) {
    String text = JsonPayloads.text(payload);
    String state = text;
    if (text.startsWith("{")) {
      JsonNode s = JsonPayloads.parseObject(payload).get("state");
      if (s == null || !s.isTextual()) {
        throw new MalformedPayloadException("availability without a string state");
      }
      state = s.textValue();
    }
    if (state.equalsIgnoreCase("online")) {
      return new Inbound.Availability(deviceId, true, null);
    }
    if (state.equalsIgnoreCase("offline")) {
      return new Inbound.Availability(deviceId, false, "timeout");
    }
    throw new MalformedPayloadException("availability is neither online nor offline");
  }
}
