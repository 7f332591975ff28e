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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code tasmota} MQTT convention, as the firmware publishes it, with topic stem {@code t} =
 * {@code binding.topic} (default: the device id):
 * <ul>
 *   <li>commands, one publish per property: {@code cmnd/t/Dimmer} {@code 0–100}, {@code cmnd/t/CT}
 *       {@code 153–500} (mired), then {@code cmnd/t/POWER} {@code ON|OFF}. POWER goes last because
 *       a Dimmer or CT command also switches the light on: {@code {power:false, brightness:50}}
 *       must end switched off;
 *   <li>reports: {@code stat/t/RESULT} and {@code tele/t/STATE} (JSON: {@code POWER} or, with
 *       SetOption26 or several relays, {@code POWER1}; {@code Dimmer}; {@code CT}, as
 *       {@code ResponseLightState} in xdrv_04_light.ino writes them), {@code stat/t/POWER} and
 *       {@code stat/t/POWER1} (plain {@code ON}/{@code OFF}, {@code MqttPublishPowerState} in
 *       xdrv_02_mqtt.ino), {@code tele/t/SENSOR} (JSON: {@code ENERGY.Power} W → {@code power_w},
 *       {@code ENERGY.Total} kWh → {@code energy_kwh}, xdrv_03_energy.ino; the first sensor
 *       object's {@code Temperature}/{@code Humidity} → {@code temperature}/{@code humidity});
 *   <li>availability: {@code tele/t/LWT} {@code Online}/{@code Offline} (the will).
 * </ul>
 * Relays 2–8 ({@code POWER2…}) are not mapped: a Hearth device is one relay. No replies and no
 * actions: a command is confirmed by a state report showing its values. docs/conventions-mqtt.md
 * has the table with example payloads.
 */
final class TasmotaConvention implements MqttConvention {

  static final String NAME = "tasmota";
  /** The CT range of xdrv_04_light.ino ({@code CT_MIN}, {@code CT_MAX}). */
  static final long CT_MIN = 153;
  static final long CT_MAX = 500;
  private static final List<String> SET = List.of("power", "brightness", "color_temp");
  private static final List<String> READ =
      List.of("power", "brightness", "color_temp", "power_w", "energy_kwh", "temperature", "humidity");

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
    return List.of("stat/" + t + "/RESULT", "stat/" + t + "/POWER", "stat/" + t + "/POWER1", "tele/" + t + "/STATE",
        "tele/" + t + "/SENSOR", "tele/" + t + "/LWT");
  }

  private static final List<String> SHARED = List.of("stat/+/RESULT", "stat/+/POWER", "stat/+/POWER1",
      "tele/+/STATE", "tele/+/SENSOR", "tele/+/LWT");

  /** {@code tele/+/STATE} and the like cover every device whose topic is one level. */
  @Override
  public List<String> sharedSubscriptions(DeviceDefinition device) {
    String t = Topics.checkStem(MqttConvention.stem(device));
    return t.indexOf('/') < 0 ? SHARED : subscriptions(device);
  }

  /**
   * What the firmware uses (xdrv_02_9_mqtt.ino {@code MqttConnected}, xdrv_12_discovery.ino), table
   * in docs/broker.md. Publish: {@code stat/t/#}, {@code tele/t/#}, the empty {@code cmnd/t/POWER}
   * it sends at every connect (unless SetOption90; it reaches no one but the device itself) and
   * {@code tasmota/discovery/+/#}: the discovery topic is named by the full MAC, which the binding
   * does not know. Subscribe: {@code cmnd/t/#}, the default group topic {@code cmnd/tasmotas/#} and
   * the fallback topic {@code cmnd/<client id>_fb/#}, the client id filled in at CONNECT.
   */
  @Override
  public TopicPermissions permissions(DeviceDefinition device) {
    String t = Topics.checkStem(MqttConvention.stem(device));
    return new TopicPermissions(
        List.of("stat/" + t + "/#", "tele/" + t + "/#", "cmnd/" + t + "/POWER", "tasmota/discovery/+/#"),
        List.of("cmnd/" + t + "/#", "cmnd/tasmotas/#", "cmnd/" + TopicPermissions.CLIENT_ID + "_fb/#"));
  }

  /** What the firmware's commands and reports carry of the profile; no actions. */
  @Override
  public Supports supports(DeviceDefinition device, Profile profile) {
    return Supports.of(profile, READ, SET, List.of());
  }

  @Override
  public List<Outbound> encode(DeviceDefinition device, DeviceCommand command) {
    if (command.isAction()) {
      throw new IllegalArgumentException("the tasmota convention has no actions ('" + command.action() + "')");
    }
    String t = Topics.checkStem(MqttConvention.stem(device));
    for (String property : command.set().keySet()) {
      if (!SET.contains(property)) {
        throw new IllegalArgumentException("the tasmota convention cannot set '" + property + "'");
      }
    }
    List<Outbound> out = new ArrayList<>(3);
    Object brightness = command.set().get("brightness");
    if (brightness != null) {
      out.add(new Outbound("cmnd/" + t + "/Dimmer", ascii(Long.toString(dimmer(brightness)))));
    }
    Object kelvin = command.set().get("color_temp");
    if (kelvin != null) {
      if (!(kelvin instanceof Number k)) {
        throw new IllegalArgumentException("color_temp must be a number");
      }
      long ct = Math.max(CT_MIN, Math.min(CT_MAX, ColorTemp.kelvinToMired(k.doubleValue())));
      out.add(new Outbound("cmnd/" + t + "/CT", ascii(Long.toString(ct))));
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
      props = light(JsonPayloads.parseObject(payload), commanded);
    } else if (topic.equals("stat/" + t + "/POWER") || topic.equals("stat/" + t + "/POWER1")) {
      props = Map.of("power", onOff(JsonPayloads.text(payload)));
    } else if (topic.equals("tele/" + t + "/SENSOR")) {
      props = TasmotaSensor.decode(JsonPayloads.parseObject(payload));
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

  /** POWER (or POWER1), Dimmer and CT of a RESULT or STATE, as {@code ResponseLightState} writes them. */
  private static Map<String, Object> light(ObjectNode json, Map<String, Object> commanded) {
    Map<String, Object> props = new LinkedHashMap<>();
    JsonNode power = json.has("POWER") ? json.get("POWER") : json.get("POWER1");
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
      props.put("brightness", Math.max(0, Math.min(100, dimmer.longValue())));
    }
    JsonNode ct = json.get("CT");
    if (ct != null) {
      if (!ct.isNumber()) {
        throw new MalformedPayloadException("CT is not a number");
      }
      if (ct.doubleValue() > 0) { // a light without colour temperature has none to report
        props.put("color_temp", ColorTemp.miredToKelvin(ct.doubleValue(), commanded.get("color_temp")));
      }
    }
    return props;
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
