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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code tasmota} MQTT convention, as Tasmota documents it, with topic stem {@code t} =
 * {@code binding.topic} (default: the device id):
 * <ul>
 *   <li>commands: {@code cmnd/t/Dimmer} {@code 0–100} then {@code cmnd/t/POWER} {@code ON|OFF},
 *       one publish per property. Dimmer goes first because a Dimmer command also switches the
 *       light on: {@code {power:false, brightness:50}} must end switched off;
 *   <li>reports: {@code stat/t/RESULT} and {@code tele/t/STATE} (JSON, {@code POWER},
 *       {@code Dimmer}), {@code stat/t/POWER} (plain {@code ON}/{@code OFF}),
 *       {@code tele/t/SENSOR} (JSON, {@code ENERGY.Power} → {@code power_w},
 *       {@code ENERGY.Total} → {@code energy_kwh});
 *   <li>availability: {@code tele/t/LWT} {@code Online}/{@code Offline} (the will).
 * </ul>
 * No replies and no actions: a command is confirmed by a state report showing its values.
 */
final class TasmotaConvention implements MqttConvention {

  static final String NAME = "tasmota";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Confirmation confirmation() {
    return Confirmation.STATE;
  }

  @Override
  public List<String> subscriptions(DeviceDefinition device) {
    String t = Topics.checkStem(MqttConvention.stem(device));
    return List.of("stat/" + t + "/RESULT", "stat/" + t + "/POWER", "tele/" + t + "/STATE",
        "tele/" + t + "/SENSOR", "tele/" + t + "/LWT");
  }

  @Override
  public TopicPermissions permissions(DeviceDefinition device) {
    String t = Topics.checkStem(MqttConvention.stem(device));
    return new TopicPermissions(List.of("stat/" + t + "/+", "tele/" + t + "/+"), List.of("cmnd/" + t + "/+"));
  }

  @Override
  public List<Outbound> encode(DeviceDefinition device, DeviceCommand command) {
    if (command.isAction()) {
      throw new IllegalArgumentException("the tasmota convention has no actions ('" + command.action() + "')");
    }
    String t = Topics.checkStem(MqttConvention.stem(device));
    for (String property : command.set().keySet()) {
      if (!property.equals("power") && !property.equals("brightness")) {
        throw new IllegalArgumentException("the tasmota convention cannot set '" + property + "'");
      }
    }
    List<Outbound> out = new ArrayList<>(2);
    Object brightness = command.set().get("brightness");
    if (brightness != null) {
      out.add(new Outbound("cmnd/" + t + "/Dimmer", ascii(Long.toString(dimmer(brightness)))));
    }
    Object power = command.set().get("power");
    if (power != null) {
      if (!(power instanceof Boolean)) {
        throw new IllegalArgumentException("power must be a boolean");
      }
      out.add(new Outbound("cmnd/" + t + "/POWER", ascii((Boolean) power ? "ON" : "OFF")));
    }
    return out;
  }

  private static long dimmer(Object brightness) {
    if (!(brightness instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
        || n.doubleValue() < 0 || n.doubleValue() > 100) {
      throw new IllegalArgumentException("brightness must be an integer 0–100");
    }
    return n.longValue();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  @Override
  public Optional<Inbound> decode(DeviceDefinition device, String topic, byte[] payload, boolean retained,
      Instant receivedAt, Map<String, Object> commanded) {
    String t = Topics.checkStem(MqttConvention.stem(device));
    if (payload.length == 0) {
      return Optional.empty(); // a retained message being cleared (retained or forwarded live)
    }
    Map<String, Object> props;
    if (topic.equals("stat/" + t + "/RESULT") || topic.equals("tele/" + t + "/STATE")) {
      props = powerAndDimmer(JsonPayloads.parseObject(payload));
    } else if (topic.equals("stat/" + t + "/POWER")) {
      props = Map.of("power", onOff(JsonPayloads.text(payload)));
    } else if (topic.equals("tele/" + t + "/SENSOR")) {
      props = energy(JsonPayloads.parseObject(payload));
    } else if (topic.equals("tele/" + t + "/LWT")) {
      return Optional.of(availability(device.id(), JsonPayloads.text(payload)));
    } else {
      return Optional.empty();
    }
    if (props.isEmpty()) {
      return Optional.empty(); // e.g. the RESULT of a command the gateway does not model
    }
    return Optional.of(new Inbound.State(new StateReport(device.id(), props, receivedAt, retained)));
  }

  private static Map<String, Object> powerAndDimmer(ObjectNode json) {
    Map<String, Object> props = new LinkedHashMap<>();
    JsonNode power = json.get("POWER");
    if (power != null) {
      if (!power.isTextual()) {
        throw new MalformedPayloadException("POWER is not a string");
      }
      props.put("power", onOff(power.textValue()));
    }
    JsonNode dimmer = json.get("Dimmer");
    if (dimmer != null) {
      if (!dimmer.isNumber()) {
        throw new MalformedPayloadException("Dimmer is not a number");
      }
      props.put("brightness", JsonPayloads.toJava(dimmer));
    }
    return props;
  }

  private static Map<String, Object> energy(ObjectNode json) {
    Map<String, Object> props = new LinkedHashMap<>();
    JsonNode energy = json.get("ENERGY");
    if (energy == null) {
      return props;
    }
    if (!energy.isObject()) {
      throw new MalformedPayloadException("ENERGY is not an object");
    }
    putNumber(props, "power_w", energy.get("Power"), "ENERGY.Power");
    putNumber(props, "energy_kwh", energy.get("Total"), "ENERGY.Total");
    return props;
  }

  private static void putNumber(Map<String, Object> props, String name, JsonNode node, String field) {
    if (node == null) {
      return;
    }
    if (!node.isNumber()) {
      throw new MalformedPayloadException(field + " is not a number");
    }
    Object value = JsonPayloads.toJava(node);
    if (value != null) {
      props.put(name, value);
    }
  }

  private static Boolean onOff(String text) {
    if (text.equalsIgnoreCase("ON")) {
      return Boolean.TRUE;
    }
    if (text.equalsIgnoreCase("OFF")) {
      return Boolean.FALSE;
    }
    throw new MalformedPayloadException("POWER is neither ON nor OFF");
  }

  private static Inbound availability(String deviceId, String text) {
    if (text.equalsIgnoreCase("Online")) {
      return new Inbound.Availability(deviceId, true, null);
    }
    if (text.equalsIgnoreCase("Offline")) {
      return new Inbound.Availability(deviceId, false, "lwt");
    }
    throw new MalformedPayloadException("LWT is neither Online nor Offline");
  }
}
