package io.hearth.sim.tasmota;

import io.hearth.sim.SimDeviceSpec;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a simulated Tasmota device is configured with, as the firmware's {@code Settings} would hold
 * it: MAC, topic, group topic, TelePeriod and the SetOptions the simulator honours. Names and
 * defaults follow Tasmota 14 ({@code tasmota/my_user_config.h}, {@code tasmota/tasmota.h}).
 *
 * @param mac              12 upper-case hex digits ({@code NetworkUniqueId()})
 * @param topic            {@code Topic} ({@code %topic%} of the FullTopic {@code %prefix%/%topic%/})
 * @param groupTopic       {@code GroupTopic}, default {@code tasmotas}
 * @param telePeriodMs     {@code TelePeriod} (default 300 s; set in ms so tests can use short ones)
 * @param discoveryDelayMs delay of the first {@code tasmota/discovery} messages after boot
 *                         ({@code TasDiscoverInit}: 10 s; after a reconnect it is 1 s)
 * @param setOption19      SetOption19 1 disables Tasmota discovery (it then clears the retained config)
 * @param setOption26      SetOption26 1: {@code POWER1} instead of {@code POWER} with a single relay
 * @param setOption90      SetOption90 1: no non-JSON messages (no empty {@code cmnd/<t>/POWER} at
 *                         connect, no {@code stat/<t>/POWER})
 * @param version          {@code TasmotaGlobal.version}, reported in discovery ({@code sw}) and INFO1
 * @param discovery        false for a build without {@code USE_TASMOTA_DISCOVERY} (xdrv_12 compiled
 *                         out): nothing at all is published on {@code tasmota/discovery/}
 */
public record TasmotaSettings(String mac, String topic, String groupTopic, long telePeriodMs, long discoveryDelayMs,
    boolean setOption19, boolean setOption26, boolean setOption90, String version, boolean discovery) {

  private static final Pattern MAC = Pattern.compile("[0-9A-F]{12}");

  public TasmotaSettings {
    Objects.requireNonNull(topic, "topic");
    mac = mac.replace(":", "").toUpperCase(Locale.ROOT);
    if (!MAC.matcher(mac).matches()) {
      throw new IllegalArgumentException("tasmota mac must be 12 hex digits: " + mac);
    }
    if (telePeriodMs < 1 || discoveryDelayMs < 0) {
      throw new IllegalArgumentException("telePeriod must be positive, discoveryDelayMs >= 0");
    }
  }

  /**
   * Reads the spec's {@code firmware} map: {@code mac}, {@code groupTopic}, {@code telePeriodMs}
   * (else the spec's report interval, else 300 s), {@code discoveryDelayMs}, {@code setOption19},
   * {@code setOption26}, {@code setOption90}, {@code version}, {@code discovery} (default true).
   */
  public static TasmotaSettings of(SimDeviceSpec spec) {
    String mac = String.valueOf(spec.firmware("mac", defaultMac(spec.id())));
    long tele = number(spec.firmware("telePeriodMs", spec.reportIntervalMs() > 0 ? spec.reportIntervalMs() : 300_000L));
    return new TasmotaSettings(mac, spec.topic(), String.valueOf(spec.firmware("groupTopic", "tasmotas")), tele,
        number(spec.firmware("discoveryDelayMs", 10_000L)), flag(spec, "setOption19"), flag(spec, "setOption26"),
        flag(spec, "setOption90"), String.valueOf(spec.firmware("version", "14.4.1")),
        !"false".equals(String.valueOf(spec.firmware("discovery", true))));
  }

  /** Espressif's OUI and three bytes from the id, so a device keeps its MAC across runs. */
  static String defaultMac(String id) {
    return String.format("5CCF7F%06X", id.hashCode() & 0xFFFFFF);
  }

  private static boolean flag(SimDeviceSpec spec, String key) {
    Object v = spec.firmware(key, false);
    return Boolean.TRUE.equals(v) || "1".equals(String.valueOf(v)) || "true".equalsIgnoreCase(String.valueOf(v));
  }

  private static long number(Object o) {
    return o instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(o));
  }

  /** The chip id's hex form: the last three bytes of the MAC ({@code ESP_getChipId()}). */
  public String chipHex() {
    return mac.substring(6);
  }

  /** {@code MQTT_CLIENT_ID "DVES_%06X"} with the chip id. */
  public String clientId() {
    return "DVES_" + chipHex();
  }

  /** {@code GetFallbackTopic_P}: {@code cmnd/<client id>_fb/}. */
  public String fallbackTopic() {
    return "cmnd/" + clientId() + "_fb/";
  }

  /** {@code GetGroupTopic_P} with SetOption75 0: {@code cmnd/<grouptopic>/}. */
  public String groupTopicPrefix() {
    return "cmnd/" + groupTopic + "/";
  }

  /** {@code WIFI_HOSTNAME "%s-%04d"}: topic and the chip id's low 13 bits. */
  public String hostname() {
    return topic.replace('_', '-') + "-" + String.format("%04d", Integer.parseInt(chipHex(), 16) & 0x1FFF);
  }

  /** MAC with colons, as {@code Status 5} shows it. */
  public String macWithColons() {
    return mac.replaceAll("(..)(?!$)", "$1:");
  }
}
