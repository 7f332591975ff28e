package io.hearth.adapter.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.adapter.DeviceAdapter.Confirmation;
import io.hearth.adapter.DeviceCommand;
import io.hearth.adapter.StateReport;
import io.hearth.adapter.payload.JsonPayloads;
import io.hearth.adapter.payload.MalformedPayloadException;
import io.hearth.device.DeviceDefinition;
import java.time.Instant;
import java.util.LinkedHashMap;
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
 * Value mappings (see {@link #brightnessToZigbee}, {@link #kelvinToMired}): {@code power} ↔
 * {@code state} ON/OFF, {@code brightness} 0–100 ↔ 0–254, {@code color_temp} Kelvin ↔ mired;
 * every other property passes through under its own name. No replies and no actions: a command
 * is confirmed by a state report showing its values.
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

  private static String base(DeviceDefinition device) {
    return "zigbee2mqtt/" + Topics.checkStem(MqttConvention.stem(device));
  }

  @Override
  public List<String> subscriptions(DeviceDefinition device) {
    String b = base(device);
    return List.of(b, b + "/availability");
  }

  @Override
  public TopicPermissions permissions(DeviceDefinition device) {
    String b = base(device);
    return new TopicPermissions(List.of(b, b + "/availability"), List.of(b + "/set", b + "/get"));
  }

  @Override
  public List<Outbound> encode(DeviceDefinition device, DeviceCommand command) {
    if (command.isAction()) {
      throw new IllegalArgumentException("the zigbee2mqtt convention has no actions ('" + command.action() + "')");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    command.set().forEach((name, value) -> {
      switch (name) {
        case "power" -> {
          if (!(value instanceof Boolean b)) {
            throw new IllegalArgumentException("power must be a boolean");
          }
          body.put("state", b ? "ON" : "OFF");
        }
        case "brightness" -> body.put("brightness", brightnessToZigbee(number(name, value)));
        case "color_temp" -> body.put("color_temp", kelvinToMired(number(name, value)));
        default -> body.put(name, value);
      }
    });
    return List.of(new Outbound(base(device) + "/set", JsonPayloads.encode(body)));
  }

  private static double number(String name, Object value) {
    if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw new IllegalArgumentException(name + " must be a number");
    }
    return n.doubleValue();
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
    Map<String, Object> props = new LinkedHashMap<>();
    json.properties().forEach(field -> {
      String name = field.getKey();
      JsonNode node = field.getValue();
      switch (name) {
        case "state" -> {
          if (node.isTextual() && (node.textValue().equalsIgnoreCase("ON") || node.textValue().equalsIgnoreCase("OFF"))) {
            props.put("power", node.textValue().equalsIgnoreCase("ON"));
          } else if (!node.isNull()) {
            throw new MalformedPayloadException("state is neither ON nor OFF");
          }
        }
        case "brightness" -> {
          if (node.isNumber()) {
            props.put("brightness", brightnessFromZigbee(node.doubleValue()));
          } else if (!node.isNull()) {
            throw new MalformedPayloadException("brightness is not a number");
          }
        }
        case "color_temp" -> {
          if (node.isNumber() && node.doubleValue() > 0) {
            props.put("color_temp", miredToKelvin(node.doubleValue(), commanded.get("color_temp")));
          } else if (!node.isNull()) {
            throw new MalformedPayloadException("color_temp is not a positive number");
          }
        }
        default -> {
          Object value = JsonPayloads.toJava(node);
          if (value != null) {
            props.put(name, value);
          }
        }
      }
    });
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

  /**
   * Brightness 0–100 % to Zigbee's 0–254: {@code ceil(p × 254 / 100)} (60 % → 153). One percent
   * is 2.54 Zigbee steps, so the result lies in {@code [2.54p, 2.54p + 1)} and
   * {@link #brightnessFromZigbee} gives every integer percentage back exactly.
   */
  static long brightnessToZigbee(double percent) {
    return (long) Math.ceil(Math.max(0, Math.min(100, percent)) * 254.0 / 100.0);
  }

  /** Zigbee brightness 0–254 to 0–100 %: {@code round(z × 100 / 254)}. */
  static long brightnessFromZigbee(double zigbee) {
    return Math.round(Math.max(0, Math.min(254, zigbee)) * 100.0 / 254.0);
  }

  /** Colour temperature in Kelvin to mired: {@code round(1,000,000 / K)}. */
  static long kelvinToMired(double kelvin) {
    if (kelvin <= 0) {
      throw new IllegalArgumentException("color_temp must be positive");
    }
    return Math.max(1, Math.round(1_000_000.0 / kelvin));
  }

  /**
   * Mired back to Kelvin. Mired is coarser than Kelvin (one mired is about 42 K at 6500 K), so
   * many Kelvin values share a mired. If the device reports the mired of the Kelvin value the
   * gateway last commanded, that Kelvin value is returned, so a commanded value is confirmed
   * exactly; otherwise {@code round(1,000,000 / mired)}, the nearest Kelvin.
   */
  static long miredToKelvin(double mired, Object commandedKelvin) {
    if (commandedKelvin instanceof Number k && k.doubleValue() > 0
        && kelvinToMired(k.doubleValue()) == Math.round(mired)) {
      return Math.round(k.doubleValue());
    }
    return Math.round(1_000_000.0 / mired);
  }
}
