package io.hearth.sim.tasmota;

import com.fasterxml.jackson.databind.util.RawValue;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON documents a simulated Tasmota device publishes, field for field as the firmware writes
 * them; each method names the firmware function it mirrors. Numbers the firmware prints with fixed
 * decimals (energy) are written the same way.
 */
final class TasmotaPayloads {

  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
  /** {@code MAX_FRIENDLYNAMES}, {@code MAX_RELAYS_SET}, {@code MAX_SWITCHES_SET}, {@code MAX_KEYS_SET} (tasmota.h). */
  private static final int FRIENDLY_NAMES = 8;
  private static final int RELAYS = 32;
  private static final int SWITCHES = 28;
  private static final int KEYS = 32;
  private static final double VOLTAGE = 230.0;
  private static final double POWER_FACTOR = 0.95;

  private TasmotaPayloads() {
  }

  /** {@code GetUptime}: {@code <days>T<HH:mm:ss>}. */
  static String uptime(Duration up) {
    long s = up.getSeconds();
    return String.format("%dT%02d:%02d:%02d", s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
  }

  /**
   * {@code MqttShowState} (support_tasmota.ino): the {@code tele/<t>/STATE} body and the {@code State}
   * command's answer: time, uptime, heap, sleep, MQTT connect count, then the power state or the
   * light state (appended form), then Wifi.
   */
  static Map<String, Object> state(TasmotaDevice d, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    Duration up = Duration.between(d.bootTime(), now);
    m.put("Time", TIME.format(now));
    m.put("Uptime", uptime(up));
    m.put("UptimeSec", up.getSeconds());
    m.put("Heap", 25);
    m.put("SleepMode", "Dynamic");
    m.put("Sleep", 50);
    m.put("LoadAvg", 19);
    m.put("MqttCount", d.connectCount());
    if (d.light()) {
      m.putAll(d.lightState(true));
    } else if (d.relays() > 0) {
      m.put(d.powerKey(), d.power() ? "ON" : "OFF");
    }
    Map<String, Object> wifi = new LinkedHashMap<>();
    wifi.put("AP", 1);
    wifi.put("SSId", "hearth-sim");
    wifi.put("BSSId", "5C:CF:7F:00:00:01");
    wifi.put("Channel", 6);
    wifi.put("Mode", "11n");
    wifi.put("RSSI", 100);
    wifi.put("Signal", -42);
    wifi.put("LinkCount", 1);
    wifi.put("Downtime", "0T00:00:03");
    m.put("Wifi", wifi);
    return m;
  }

  /**
   * {@code MqttShowSensor}: {@code tele/<t>/SENSOR}. Plugs: the {@code ENERGY} block of
   * {@code EnergyShow} (xdrv_03_energy.ino) with Total/Yesterday/Today in kWh (3 decimals), Power,
   * ApparentPower, ReactivePower in W/VA/var (0 decimals), Factor (2 decimals), Voltage (0), Current
   * (3 decimals). Climate sensors: an {@code AM2301} block (xsns_06_dht.ino) and {@code TempUnit}.
   */
  static Map<String, Object> sensor(TasmotaDevice d, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Time", TIME.format(now));
    Map<String, Object> s = d.snapshot();
    if ("plug".equals(d.profile())) {
      double w = ((Number) s.get("power_w")).doubleValue();
      double total = ((Number) s.get("energy_kwh")).doubleValue();
      double apparent = w > 0 ? w / POWER_FACTOR : 0;
      double reactive = Math.sqrt(Math.max(0, apparent * apparent - w * w));
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("TotalStartTime", TIME.format(d.bootTime()));
      e.put("Total", fixed(total, 3));
      e.put("Yesterday", fixed(0, 3));
      e.put("Today", fixed(total, 3));
      e.put("Period", fixed(0, 0));
      e.put("Power", fixed(w, 0));
      e.put("ApparentPower", fixed(apparent, 0));
      e.put("ReactivePower", fixed(reactive, 0));
      e.put("Factor", fixed(w > 0 ? POWER_FACTOR : 0, 2));
      e.put("Voltage", fixed(VOLTAGE, 0));
      e.put("Current", fixed(apparent / VOLTAGE, 3));
      m.put("ENERGY", e);
    } else if ("sensor.climate".equals(d.profile())) {
      Map<String, Object> am = new LinkedHashMap<>();
      double t = ((Number) s.get("temperature")).doubleValue();
      double h = ((Number) s.get("humidity")).doubleValue();
      am.put("Temperature", fixed(t, 1));
      am.put("Humidity", fixed(h, 1));
      am.put("DewPoint", fixed(dewPoint(t, h), 1));
      m.put("AM2301", am);
      m.put("TempUnit", "C");
    }
    return m;
  }

  /** Whether the device has sensors, i.e. publishes {@code tele/<t>/SENSOR}. */
  static boolean hasSensors(TasmotaDevice d) {
    return "plug".equals(d.profile()) || "sensor.climate".equals(d.profile());
  }

  /** Magnus formula, as {@code CalcTempHumToDew} (support_float.ino). */
  private static double dewPoint(double t, double h) {
    double gamma = Math.log(Math.max(h, 1) / 100) + 17.62 * t / (243.5 + t);
    return 243.5 * gamma / (17.62 - gamma);
  }

  private static RawValue fixed(double v, int decimals) {
    return new RawValue(String.format(Locale.ROOT, "%." + decimals + "f", v));
  }

  /** {@code MqttConnected}, first connection after boot: {@code tele/<t>/INFO1..3}. */
  static List<Map<String, Object>> info(TasmotaDevice d) {
    TasmotaSettings st = d.settings();
    Map<String, Object> i1 = new LinkedHashMap<>();
    i1.put("Module", d.module());
    i1.put("Version", st.version() + "(tasmota)");
    i1.put("FallbackTopic", st.fallbackTopic());
    i1.put("GroupTopic", st.groupTopicPrefix());
    Map<String, Object> i2 = new LinkedHashMap<>();
    i2.put("WebServerMode", "Admin");
    i2.put("Hostname", st.hostname());
    i2.put("IPAddress", d.ip());
    Map<String, Object> i3 = new LinkedHashMap<>();
    i3.put("RestartReason", "Power On");
    return List.of(Map.of("Info1", i1), Map.of("Info2", i2), Map.of("Info3", i3));
  }

  /**
   * {@code TasDiscoverMessage} (xdrv_12_discovery.ino): the retained
   * {@code tasmota/discovery/<MAC>/config} document Home Assistant's Tasmota integration reads.
   */
  static Map<String, Object> discoveryConfig(TasmotaDevice d) {
    TasmotaSettings st = d.settings();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ip", d.ip());
    m.put("dn", "Tasmota");
    List<Object> fn = new ArrayList<>(Arrays.asList(new Object[FRIENDLY_NAMES]));
    fn.set(0, "Tasmota");
    m.put("fn", fn);
    m.put("hn", st.hostname());
    m.put("mac", st.mac());
    m.put("md", d.module());
    m.put("ty", 0);
    m.put("if", 0);
    m.put("ofln", "Offline");
    m.put("onln", "Online");
    m.put("state", List.of("OFF", "ON", "TOGGLE", "HOLD"));
    m.put("sw", st.version());
    m.put("t", st.topic());
    m.put("ft", "%prefix%/%topic%/");
    m.put("tp", List.of("cmnd", "stat", "tele"));
    int[] rl = new int[RELAYS];
    if (d.relays() > 0) {
      rl[0] = d.light() ? 2 : 1; // 1 relay, 2 light (the relay index from light_idx on)
    }
    m.put("rl", Arrays.stream(rl).boxed().toList());
    m.put("swc", repeat(-1, SWITCHES));
    m.put("swn", new ArrayList<>(Arrays.asList(new Object[SWITCHES])));
    m.put("btn", repeat(0, KEYS));
    Map<String, Object> so = new LinkedHashMap<>();
    for (String k : List.of("4", "11", "13", "17", "20", "30", "68", "73", "82", "114", "117")) {
      so.put(k, 0);
    }
    m.put("so", so);
    m.put("lk", d.light() ? 1 : 0);
    m.put("lt_st", d.light() ? TasmotaLight.SUBTYPE_COLDWARM : 0);
    m.put("bat", 0);
    m.put("dslp", 0);
    m.put("sho", List.of());
    m.put("sht", List.of());
    m.put("ver", 1);
    return m;
  }

  /** {@code TasDiscovery}: {@code tasmota/discovery/<MAC>/sensors}, {@code {"sn":<MqttShowSensor>,"ver":1}}. */
  static Map<String, Object> discoverySensors(TasmotaDevice d, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("sn", sensor(d, now));
    m.put("ver", 1);
    return m;
  }

  /** {@code CmndStatus} with no argument: {@code stat/<t>/STATUS} {@code {"Status":{...}}}. */
  static Map<String, Object> status(TasmotaDevice d) {
    TasmotaSettings st = d.settings();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("Module", 0);
    s.put("DeviceName", "Tasmota");
    s.put("FriendlyName", List.of("Tasmota"));
    s.put("Topic", st.topic());
    s.put("ButtonTopic", "0");
    s.put("Power", d.relays() > 0 && d.power() ? "1" : "0");
    s.put("PowerLock", "0");
    s.put("PowerOnState", 3);
    s.put("LedState", 1);
    s.put("LedMask", "FFFF");
    s.put("SaveData", 1);
    s.put("SaveState", 1);
    s.put("SwitchTopic", "0");
    s.put("SwitchMode", repeat(0, 8));
    s.put("ButtonRetain", 0);
    s.put("SwitchRetain", 0);
    s.put("SensorRetain", 0);
    s.put("PowerRetain", 0);
    s.put("InfoRetain", 0);
    s.put("StateRetain", 0);
    s.put("StatusRetain", 0);
    return Map.of("Status", s);
  }

  /** {@code CmndStatus 5}: {@code {"StatusNET":{...}}}. */
  static Map<String, Object> statusNet(TasmotaDevice d) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("Hostname", d.settings().hostname());
    s.put("IPAddress", d.ip());
    s.put("Gateway", "192.168.1.1");
    s.put("Subnetmask", "255.255.255.0");
    s.put("DNSServer1", "192.168.1.1");
    s.put("DNSServer2", "0.0.0.0");
    s.put("Mac", d.settings().macWithColons());
    s.put("Webserver", 2);
    s.put("HTTP_API", 1);
    s.put("WifiConfig", 4);
    s.put("WifiPower", 17.0);
    return Map.of("StatusNET", s);
  }

  private static List<Integer> repeat(int v, int n) {
    Integer[] a = new Integer[n];
    Arrays.fill(a, v);
    return List.of(a);
  }
}
