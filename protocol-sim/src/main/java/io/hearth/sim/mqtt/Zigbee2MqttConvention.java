package io.hearth.sim.mqtt;

import io.hearth.sim.behavior.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Zigbee2MQTT's convention: commands on {@code zigbee2mqtt/{topic}/set} (and {@code /get}), the
 * device state as one JSON object on {@code zigbee2mqtt/{topic}} (retained, as with Zigbee2MQTT's
 * {@code retain: true}), availability {@code {"state":"online"}} retained. Property names follow
 * Zigbee2MQTT's exposes: {@code state} ON/OFF, {@code brightness} 0-254, {@code color_temp} in
 * mired, {@code contact} (true = closed), lock {@code state} LOCK/UNLOCK, cover {@code state}
 * OPEN/CLOSE/STOP and {@code position}; other properties keep their hearth names.
 */
final class Zigbee2MqttConvention implements MqttConvention {

  private final String base;
  private final String profile;

  Zigbee2MqttConvention(String topic, String profile) {
    this.base = "zigbee2mqtt/" + Objects.requireNonNull(topic, "topic");
    this.profile = Objects.requireNonNull(profile, "profile");
  }

  @Override
  public List<String> subscriptions() {
    return List.of(base + "/set", base + "/get");
  }

  @Override
  public String availabilityTopic() {
    return base + "/availability";
  }

  @Override
  public byte[] onlinePayload() {
    return "{\"state\":\"online\"}".getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] offlinePayload() {
    return "{\"state\":\"offline\"}".getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public Inbound decode(String topic, byte[] payload, Map<String, Object> state) {
    if (topic.equals(base + "/get")) {
      return Inbound.query("get");
    }
    if (!topic.equals(base + "/set")) {
      return Inbound.ignore("not a command topic: " + topic);
    }
    Map<String, Object> body;
    try {
      body = Json.readObject(payload);
    } catch (IOException e) {
      return Inbound.invalid("set", "payload is not a JSON object");
    }
    String desc = "set " + new String(payload, StandardCharsets.UTF_8);
    try {
      if (profile.equals("curtain") && body.containsKey("state")) {
        String s = String.valueOf(body.get("state")).toLowerCase(Locale.ROOT);
        if (!List.of("open", "close", "stop").contains(s)) {
          return Inbound.invalid(desc, "state: expected OPEN, CLOSE or STOP");
        }
        return Inbound.action(desc, s, Map.of());
      }
      Map<String, Object> props = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : body.entrySet()) {
        fromWire(e.getKey(), e.getValue(), state, props);
      }
      if (profile.equals("light.dimmable") && props.containsKey("brightness") && !body.containsKey("state")) {
        props.put("power", ((Number) props.get("brightness")).intValue() > 0);
      }
      return Inbound.set(desc, props);
    } catch (IllegalArgumentException e) {
      return Inbound.invalid(desc, e.getMessage());
    }
  }

  private void fromWire(String key, Object value, Map<String, Object> state, Map<String, Object> props) {
    boolean light = profile.equals("light.dimmable");
    switch (profile + ":" + key) {
      case "light.dimmable:state": case "plug:state":
        props.put("power", Conversions.parsePower(value, Boolean.TRUE.equals(state.get("power"))));
        return;
      case "light.dimmable:brightness":
        int level = Conversions.integer("brightness", value);
        if (level < 0 || level > 254) {
          throw new IllegalArgumentException("brightness: must be within 0..254");
        }
        props.put("brightness", Conversions.levelToPct(level));
        return;
      case "light.dimmable:color_temp":
        int mired = Conversions.integer("color_temp", value);
        if (mired <= 0) {
          throw new IllegalArgumentException("color_temp: must be positive");
        }
        props.put("color_temp", Conversions.miredToKelvin(mired));
        return;
      case "lock:state":
        String s = String.valueOf(value).toUpperCase(Locale.ROOT);
        if (!s.equals("LOCK") && !s.equals("UNLOCK")) {
          throw new IllegalArgumentException("state: expected LOCK or UNLOCK");
        }
        props.put("locked", s.equals("LOCK"));
        return;
      case "thermostat:occupied_heating_setpoint":
        props.put("target_temp", value);
        return;
      case "thermostat:system_mode":
        props.put("mode", value);
        return;
      default:
        if (light && key.equals("transition")) {
          return; // accepted and ignored, as a bulb without fading would
        }
        props.put(key, value); // unknown keys are caught by the behaviour's validation
    }
  }

  private Map<String, Object> toWire(Map<String, Object> state) {
    Map<String, Object> w = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : state.entrySet()) {
      Object v = e.getValue();
      switch (profile + ":" + e.getKey()) {
        case "light.dimmable:power": case "plug:power":
          w.put("state", Conversions.onOff(v));
          break;
        case "light.dimmable:brightness":
          w.put("brightness", Conversions.pctToLevel((Integer) v));
          break;
        case "light.dimmable:color_temp":
          w.put("color_temp", Conversions.kelvinToMired((Integer) v));
          break;
        case "plug:power_w":
          w.put("power", v);
          break;
        case "plug:energy_kwh":
          w.put("energy", v);
          break;
        case "sensor.contact:open":
          w.put("contact", !Boolean.TRUE.equals(v));
          break;
        case "lock:locked":
          w.put("state", Boolean.TRUE.equals(v) ? "LOCK" : "UNLOCK");
          w.put("lock_state", Boolean.TRUE.equals(v) ? "locked" : "unlocked");
          break;
        case "thermostat:target_temp":
          w.put("occupied_heating_setpoint", v);
          break;
        case "thermostat:current_temp":
          w.put("local_temperature", v);
          break;
        case "thermostat:mode":
          w.put("system_mode", v);
          break;
        default:
          w.put(e.getKey(), v);
      }
    }
    w.put("linkquality", 120);
    return w;
  }

  @Override
  public List<Publication> stateReport(Map<String, Object> state) {
    return List.of(new Publication(base, Json.write(toWire(state)), true));
  }

  @Override
  public List<Publication> periodicReport(Map<String, Object> state) {
    return stateReport(state);
  }

  @Override
  public List<Publication> commandEffects(Inbound command, Outcome outcome, Map<String, Object> state) {
    return List.of();
  }

  @Override
  public List<Publication> confirmation(Inbound command, Outcome outcome, Map<String, Object> state) {
    // Zigbee2MQTT tells nothing to the device topic about a failed command (it logs on the bridge)
    return outcome.ok() ? stateReport(state) : List.of();
  }

  @Override
  public List<Publication> event(String name, Map<String, Object> data) {
    Map<String, Object> msg = new LinkedHashMap<>(data);
    msg.put("action", name);
    return List.of(new Publication(base, Json.write(msg), false));
  }

  @Override
  public String rawTopic(String subtopic) {
    return subtopic == null || subtopic.isEmpty() ? base : base + "/" + subtopic;
  }
}
