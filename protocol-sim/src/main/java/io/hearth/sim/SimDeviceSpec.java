package io.hearth.sim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One simulated device: an entry of the devices file.
 *
 * @param id               device id ({@code [a-z0-9_-]{1,64}})
 * @param profile          built-in profile id, e.g. {@code light.dimmable}
 * @param protocol         {@code mqtt} or {@code coap}
 * @param convention       {@code hearth}, {@code tasmota} or {@code zigbee2mqtt} (MQTT); {@code hearth}
 *                         or {@code generic} (CoAP; generic is not simulated)
 * @param topic            topic stem for tasmota/zigbee2mqtt; defaults to the id
 * @param username         MQTT user name, or null for anonymous
 * @param password         MQTT password, or null
 * @param faults           initial faults
 * @param reportIntervalMs periodic report interval; 0 means the simulator's default
 * @param uri              CoAP: {@code coap://host:port} the device listens on; null to get
 *                         {@link SimOptions#coapBasePort()} plus its index among CoAP devices
 * @param firmware         firmware settings of third-party devices (never null), e.g. Tasmota
 *                         {@code mac}, {@code telePeriod}, {@code setOption90}; Zigbee2MQTT
 *                         {@code ieeeAddress}, {@code retain}; see protocol-sim/README.md
 * @param children         for a Zigbee2MQTT bridge ({@link #BRIDGE_PROFILE}): the devices behind it,
 *                         each of convention {@code zigbee2mqtt} with its friendly name as topic;
 *                         empty otherwise
 */
public record SimDeviceSpec(String id, String profile, String protocol, String convention, String topic,
    String username, String password, SimFaults faults, long reportIntervalMs, String uri,
    Map<String, Object> firmware, List<SimDeviceSpec> children) {

  /** Profile of a Zigbee2MQTT bridge entry: one MQTT client serving its {@link #children()}. */
  public static final String BRIDGE_PROFILE = "zigbee2mqtt.bridge";

  private static final Pattern ID = Pattern.compile("[a-z0-9_-]{1,64}");

  public SimDeviceSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(profile, "profile");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("device id must be 1-64 chars of [a-z0-9_-]: " + id);
    }
    protocol = protocol == null ? "mqtt" : protocol;
    convention = convention == null ? "hearth" : convention;
    topic = topic == null || topic.isBlank() ? id : topic;
    faults = faults == null ? SimFaults.NONE : faults;
    if (reportIntervalMs < 0) {
      throw new IllegalArgumentException("reportIntervalMs must be >= 0: " + id);
    }
    firmware = firmware == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(firmware));
    children = children == null ? List.of() : List.copyOf(children);
    if (BRIDGE_PROFILE.equals(profile)) {
      if (!"mqtt".equals(protocol) || !"zigbee2mqtt".equals(convention)) {
        throw new IllegalArgumentException("a bridge must be protocol mqtt, convention zigbee2mqtt: " + id);
      }
      for (SimDeviceSpec c : children) {
        if (!"zigbee2mqtt".equals(c.convention()) || c.isBridge()) {
          throw new IllegalArgumentException("device " + c.id() + " behind bridge " + id
              + " must be of convention zigbee2mqtt");
        }
      }
    } else if (!children.isEmpty()) {
      throw new IllegalArgumentException("only a " + BRIDGE_PROFILE + " has devices behind it: " + id);
    }
    if (uri != null && uri.isBlank()) {
      uri = null;
    }
    if (uri != null) {
      java.net.URI u = java.net.URI.create(uri);
      if (!"coap".equals(u.getScheme()) || u.getHost() == null) {
        throw new IllegalArgumentException("binding.uri must look like coap://host:port: " + uri);
      }
    }
  }

  /** An entry without a CoAP uri (the MQTT-era constructor). */
  public SimDeviceSpec(String id, String profile, String protocol, String convention, String topic,
      String username, String password, SimFaults faults, long reportIntervalMs) {
    this(id, profile, protocol, convention, topic, username, password, faults, reportIntervalMs, null);
  }

  /** An entry without firmware settings or children (the CoAP-era constructor). */
  public SimDeviceSpec(String id, String profile, String protocol, String convention, String topic,
      String username, String password, SimFaults faults, long reportIntervalMs, String uri) {
    this(id, profile, protocol, convention, topic, username, password, faults, reportIntervalMs, uri, null, null);
  }

  /**
   * A device running Tasmota (MQTT 3.1.1, client id {@code DVES_} + the last 6 hex digits of its MAC).
   *
   * @param topic Tasmota's {@code Topic}, e.g. {@code tasmota_1A2B3C}; null for the id
   * @param mac   12 hex digits, e.g. {@code 5CCF7F1A2B3C}; null derives one from the id
   */
  public static SimDeviceSpec tasmota(String id, String profile, String topic, String mac) {
    SimDeviceSpec s = new SimDeviceSpec(id, profile, "mqtt", "tasmota", topic, null, null, SimFaults.NONE, 0);
    return mac == null ? s : s.withFirmware("mac", mac);
  }

  /**
   * A Zigbee device as Zigbee2MQTT shows it: behind a {@link #zigbee2mqttBridge} (the usual case),
   * or on its own connection when used directly (the older, per-device simulation).
   *
   * @param friendlyName Zigbee2MQTT's {@code friendly_name} (topic {@code <base>/<friendlyName>})
   */
  public static SimDeviceSpec zigbee2mqtt(String id, String profile, String friendlyName) {
    return new SimDeviceSpec(id, profile, "mqtt", "zigbee2mqtt", friendlyName, null, null, SimFaults.NONE, 0);
  }

  /**
   * A Zigbee2MQTT bridge: one MQTT client (will {@code <base>/bridge/state}) serving every child.
   *
   * @param baseTopic Zigbee2MQTT's {@code mqtt.base_topic}; null for {@code zigbee2mqtt}
   */
  public static SimDeviceSpec zigbee2mqttBridge(String id, String baseTopic, List<SimDeviceSpec> children) {
    return new SimDeviceSpec(id, BRIDGE_PROFILE, "mqtt", "zigbee2mqtt",
        baseTopic == null ? "zigbee2mqtt" : baseTopic, null, null, SimFaults.NONE, 0, null, null, children);
  }

  /** Whether this entry is a Zigbee2MQTT bridge. */
  public boolean isBridge() {
    return BRIDGE_PROFILE.equals(profile);
  }

  /** A firmware setting, or {@code dflt} when not set. */
  public Object firmware(String key, Object dflt) {
    return firmware.getOrDefault(key, dflt);
  }

  public SimDeviceSpec withFirmware(String key, Object value) {
    Map<String, Object> f = new LinkedHashMap<>(firmware);
    f.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return new SimDeviceSpec(id, profile, protocol, convention, topic, username, password, faults,
        reportIntervalMs, uri, f, children);
  }

  /** A hearth-convention MQTT device without credentials. */
  public static SimDeviceSpec mqtt(String id, String profile) {
    return new SimDeviceSpec(id, profile, "mqtt", "hearth", null, null, null, SimFaults.NONE, 0);
  }

  /**
   * A hearth-convention CoAP device.
   *
   * @param uri {@code coap://host:port}, or null for a port from {@link SimOptions#coapBasePort()}
   */
  public static SimDeviceSpec coap(String id, String profile, String uri) {
    return new SimDeviceSpec(id, profile, "coap", "hearth", null, null, null, SimFaults.NONE, 0, uri);
  }

  public SimDeviceSpec withConvention(String newConvention, String newTopic) {
    return new SimDeviceSpec(id, profile, protocol, newConvention, newTopic, username, password, faults,
        reportIntervalMs, uri, firmware, children);
  }

  public SimDeviceSpec withCredentials(String newUsername, String newPassword) {
    return new SimDeviceSpec(id, profile, protocol, convention, topic, newUsername, newPassword, faults,
        reportIntervalMs, uri, firmware, children);
  }

  public SimDeviceSpec withFaults(SimFaults newFaults) {
    return new SimDeviceSpec(id, profile, protocol, convention, topic, username, password, newFaults,
        reportIntervalMs, uri, firmware, children);
  }

  public SimDeviceSpec withReportIntervalMs(long ms) {
    return new SimDeviceSpec(id, profile, protocol, convention, topic, username, password, faults, ms, uri,
        firmware, children);
  }

  public SimDeviceSpec withUri(String newUri) {
    return new SimDeviceSpec(id, profile, protocol, convention, topic, username, password, faults,
        reportIntervalMs, newUri, firmware, children);
  }

  @Override
  public String toString() {
    return "SimDeviceSpec[id=" + id + ", profile=" + profile + ", protocol=" + protocol + ", convention="
        + convention + ", topic=" + topic + ", username=" + username + ", password=***, faults=" + faults
        + ", reportIntervalMs=" + reportIntervalMs + ", uri=" + uri + ", firmware=" + firmware + ", children="
        + children + "]";
  }
}
