package io.hearth.sim.tasmota;

import io.hearth.sim.behavior.Outcome;
import io.hearth.sim.mqtt.Json;
import io.hearth.sim.mqtt.Publication;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tasmota's command dispatcher for one simulated device: parses a command as {@code ExecuteCommand}
 * and {@code DecodeCommand} do (support_command.ino: trailing digits are the index, the payload is a
 * number or a state word, {@code ?} is a query) and runs the handlers the simulator has
 * ({@code CmndPower}, {@code CmndState}, {@code CmndStatus}, {@code CmndTeleperiod},
 * {@code CmndSetoption}; lights: xdrv_04_light.ino {@code CmndDimmer}, {@code CmndColorTemperature},
 * {@code CmndColor}, {@code CmndWhite}, {@code CmndChannel}, {@code CmndHsbColor}, {@code CmndFade},
 * {@code CmndSpeed}, {@code CmndLedTable}). Each call returns what the firmware publishes;
 * a command nobody handles answers {@code {"Command":"Unknown"}} on {@code stat/<t>/RESULT}.
 */
final class TasmotaCommands {

  /** What one command did. */
  record Result(List<Publication> publications, boolean changed, boolean rediscover) { }

  private static final Pattern COMMAND = Pattern.compile("([A-Za-z_]+?)(\\d*)");
  private static final int NO_PAYLOAD = -99;

  private final TasmotaDevice d;

  TasmotaCommands(TasmotaDevice device) {
    this.d = device;
  }

  /**
   * @param type the topic's last level, e.g. {@code POWER1}, {@code Dimmer}
   * @param data the payload text
   */
  Result execute(String type, String data) {
    Matcher m = COMMAND.matcher(type);
    if (!m.matches()) {
      return unknown();
    }
    String name = m.group(1).toUpperCase(Locale.ROOT);
    boolean indexed = !m.group(2).isEmpty();
    int index = indexed ? Integer.parseInt(m.group(2)) : 1;
    String arg = "?".equals(data.trim()) ? "" : data.trim();
    int payload = payload(arg);
    switch (name) {
      case "POWER":
        return power(index, payload);
      case "STATE":
        return result(TasmotaPayloads.state(d, Instant.now()), false);
      case "STATUS":
        return status(arg.isEmpty() ? -1 : payload);
      case "TELEPERIOD": // CmndTeleperiod: 0 off, 1 the default (300), 2..9 become 10, above 3600 ignored
        if (payload >= 0 && payload < 3601) {
          d.telePeriod(payload == 1 ? 300 : payload > 0 && payload < 10 ? 10 : payload);
        }
        return result(Map.of("TelePeriod", d.telePeriodSeconds()), false);
      case "SETOPTION":
        return setOption(index, payload);
      case "TOPIC":
        return result(Map.of("Topic", d.settings().topic()), false);
      case "GROUPTOPIC":
        return result(Map.of("GroupTopic1", d.settings().groupTopic()), false);
      case "FULLTOPIC":
        return result(Map.of("FullTopic", "%prefix%/%topic%/"), false);
      default:
        return d.light() ? light(name, index, arg, payload) : unknown();
    }
  }

  /** {@code ExecuteCommand}: a number ({@code strtol}), else {@code GetStateNumber} (off/on/toggle/blink), else -99. */
  static int payload(String arg) {
    if (arg.isEmpty()) {
      return NO_PAYLOAD;
    }
    switch (arg.toLowerCase(Locale.ROOT)) {
      case "off": case "false": return 0;
      case "on": case "true": return 1;
      case "toggle": return 2;
      case "blink": return 3;
      case "blinkoff": return 4;
      default:
        Matcher n = Pattern.compile("^-?\\d+").matcher(arg);
        return n.find() ? (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Long.parseLong(n.group())))
            : NO_PAYLOAD;
    }
  }

  /**
   * {@code CmndPower}: 0/1/2 switch, anything else shows the state; then {@code MqttPublishPowerState}:
   * {@code stat/<t>/RESULT {"POWER":"ON"}} and, unless SetOption90, {@code stat/<t>/POWER ON}. An
   * index beyond the relays gets no answer at all.
   */
  private Result power(int index, int payload) {
    if (d.relays() == 0 || index > d.relays()) {
      return new Result(List.of(), false, false);
    }
    boolean changed = false;
    if (payload >= 0 && payload <= 2) {
      boolean target = payload == 2 ? !d.power() : payload == 1;
      Outcome o = d.apply(Map.of("power", target));
      if (!o.ok()) {
        return error();
      }
      changed = true;
    }
    return new Result(powerState(d), changed, false);
  }

  /** {@code MqttPublishPowerState(device)}. */
  static List<Publication> powerState(TasmotaDevice d) {
    String t = d.settings().topic();
    String state = d.power() ? "ON" : "OFF";
    List<Publication> out = new ArrayList<>();
    out.add(json("stat/" + t + "/RESULT", Map.of(d.powerKey(), state)));
    if (!d.settings().setOption90()) {
      out.add(new Publication("stat/" + t + "/" + d.powerKey(), state.getBytes(StandardCharsets.UTF_8),
          false));
    }
    return out;
  }

  private Result status(int n) {
    String t = d.settings().topic();
    switch (n) {
      case -1:
        return new Result(List.of(json("stat/" + t + "/STATUS", TasmotaPayloads.status(d))), false, false);
      case 5:
        return new Result(List.of(json("stat/" + t + "/STATUS5", TasmotaPayloads.statusNet(d))), false, false);
      case 8: case 10:
        return new Result(List.of(json("stat/" + t + "/STATUS" + n,
            Map.of("StatusSNS", TasmotaPayloads.sensor(d, Instant.now())))), false, false);
      case 11:
        return new Result(List.of(json("stat/" + t + "/STATUS11",
            Map.of("StatusSTS", TasmotaPayloads.state(d, Instant.now())))), false, false);
      default:
        return new Result(List.of(json("stat/" + t + "/STATUS", TasmotaPayloads.status(d))), false, false);
    }
  }

  /** {@code CmndSetoption} for the options the simulator honours: {@code {"SetOption26":"ON"}}. */
  private Result setOption(int option, int payload) {
    TasmotaSettings s = d.settings();
    boolean current;
    switch (option) {
      case 19: current = s.setOption19(); break;
      case 26: current = s.setOption26(); break;
      case 90: current = s.setOption90(); break;
      default: return unknown();
    }
    if (payload == 0 || payload == 1) {
      current = payload == 1;
      d.setOption(option, current);
    }
    return new Result(List.of(json("stat/" + s.topic() + "/RESULT",
        Map.of("SetOption" + option, current ? "ON" : "OFF"))), false, option == 19 && payload >= 0);
  }

  /** The light commands of a CT bulb (xdrv_04_light.ino). */
  private Result light(String name, int index, String arg, int payload) {
    switch (name) {
      case "DIMMER": {
        int dimmer = d.dimmer();
        if (arg.length() >= 1 && (arg.charAt(0) == '+' || arg.charAt(0) == '-')) { // DimmerStep, default 10
          payload = arg.charAt(0) == '+' ? Math.min(100, dimmer + 10) : Math.max(1, dimmer - 10);
        } else if ("<".equals(arg)) {
          payload = 1;
        } else if (">".equals(arg)) {
          payload = 100;
        }
        if (payload < 0 || payload > 100) {
          return result(Map.of("Dimmer", dimmer), false); // "otherwise report old value"
        }
        return preparePower(d.apply(linkedPower(Map.of("brightness", payload), payload > 0)));
      }
      case "WHITE":
        if (payload < 0 || payload > 100) {
          return result(Map.of("White", d.dimmer()), false);
        }
        return preparePower(d.apply(linkedPower(Map.of("brightness", payload), payload > 0)));
      case "CT": {
        int ct = d.ct();
        if ("+".equals(arg)) {
          payload = ct > TasmotaLight.CT_MAX - 34 ? TasmotaLight.CT_MAX : ct + 34;
        } else if ("-".equals(arg)) {
          payload = ct < TasmotaLight.CT_MIN + 34 ? TasmotaLight.CT_MIN : ct - 34;
        }
        if (payload < TasmotaLight.CT_MIN || payload > TasmotaLight.CT_MAX) {
          return result(Map.of("CT", ct), false);
        }
        return preparePower(d.applyCt(payload, linkedPower(Map.of(), d.dimmer() > 0)));
      }
      case "COLOR":
        return color(index, arg);
      case "CHANNEL": {
        if (index < 1 || index > 2) {
          return new Result(List.of(), false, false);
        }
        if (payload < 0 || payload > 100) {
          int raw = TasmotaLight.channels(d.dimmer(), d.ct())[index - 1];
          return result(Map.of("Channel" + index, TasmotaLight.changeUIntScale(raw, 0, 255, 0, 100)), false);
        }
        int[] ch = TasmotaLight.channels(d.dimmer(), d.ct());
        ch[index - 1] = TasmotaLight.changeUIntScale(payload, 0, 100, 0, 255);
        return fromChannels(ch[0], ch[1]);
      }
      case "HSBCOLOR":
        return new Result(List.of(), false, false); // only for RGB subtypes: no answer
      case "FADE":
        return result(Map.of("Fade", "OFF"), false);
      case "SPEED":
        return result(Map.of("Speed", 1), false);
      case "LEDTABLE":
        return result(Map.of("LedTable", "ON"), false);
      default:
        return unknown();
    }
  }

  /** {@code CmndSupportColor} for CW: 4 hex digits set both channels; otherwise {@code {"Color":"FF00"}}. */
  private Result color(int index, String arg) {
    if (index > 2) {
      return new Result(List.of(), false, false);
    }
    String hex = arg.startsWith("#") ? arg.substring(1) : arg;
    if (!hex.matches("[0-9A-Fa-f]{4}")) {
      return result(Map.of("Color", TasmotaLight.color(d.dimmer(), d.ct())), false);
    }
    return fromChannels(Integer.parseInt(hex.substring(0, 2), 16), Integer.parseInt(hex.substring(2, 4), 16));
  }

  /** {@code changeChannels} for CW: brightness from the stronger channel, CT from the warm share. */
  private Result fromChannels(int cold, int warm) {
    int bri = Math.max(cold, warm);
    int dimmer = TasmotaLight.changeUIntScale(bri, 0, 255, 0, 100);
    if (bri > 0 && dimmer == 0) {
      dimmer = 1;
    }
    Map<String, Object> props = linkedPower(Map.of("brightness", dimmer), bri > 0);
    if (bri == 0) {
      return preparePower(d.apply(props));
    }
    int ww = TasmotaLight.changeUIntScale(warm, 0, cold + warm, 0, 255);
    return preparePower(d.applyCt(TasmotaLight.changeUIntScale(ww, 0, 255, TasmotaLight.CT_MIN, TasmotaLight.CT_MAX),
        props));
  }

  /** {@code LightPreparePower}: the light switches on with a brightness, off without one (SetOption20 0). */
  private static Map<String, Object> linkedPower(Map<String, Object> props, boolean on) {
    Map<String, Object> m = new LinkedHashMap<>(props);
    m.put("power", on);
    return m;
  }

  /** {@code LightPreparePower} ends with {@code ResponseLightState(0)}: the full light JSON. */
  private Result preparePower(Outcome o) {
    if (!o.ok()) {
      return error();
    }
    return new Result(List.of(json("stat/" + d.settings().topic() + "/RESULT", d.lightState(false))), true, false);
  }

  private Result result(Map<String, Object> body, boolean changed) {
    return new Result(List.of(json("stat/" + d.settings().topic() + "/RESULT", body)), changed, false);
  }

  /** support_command.ino, {@code ExecuteCommand}: no handler took the command. */
  private Result unknown() {
    return result(Map.of("Command", "Unknown"), false);
  }

  /** The simulator's reject fault (or a refused value): {@code {"Command":"Error"}}. */
  private Result error() {
    return result(Map.of("Command", "Error"), false);
  }

  static Publication json(String topic, Map<String, Object> body) {
    return new Publication(topic, Json.write(body), false);
  }
}
