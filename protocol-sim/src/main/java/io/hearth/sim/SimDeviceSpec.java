package io.hearth.sim;

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
 */
public record SimDeviceSpec(String id, String profile, String protocol, String convention, String topic,
    String username, String password, SimFaults faults, long reportIntervalMs, String uri) {

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
        reportIntervalMs, uri);
  }

  public SimDeviceSpec withCredentials(String newUsername, String newPassword) {
    return new SimDeviceSpec(id, profile, protocol, convention, topic, newUsername, newPassword, faults,
        reportIntervalMs, uri);
  }

  public SimDeviceSpec withFaults(SimFaults newFaults) {
    return new SimDeviceSpec(id, profile, protocol, convention, topic, username, password, newFaults,
        reportIntervalMs, uri);
  }

  public SimDeviceSpec withReportIntervalMs(long ms) {
    return new SimDeviceSpec(id, profile, protocol, convention, topic, username, password, faults, ms, uri);
  }

  public SimDeviceSpec withUri(String newUri) {
    return new SimDeviceSpec(id, profile, protocol, convention, topic, username, password, faults,
        reportIntervalMs, newUri);
  }

  @Override
  public String toString() {
    return "SimDeviceSpec[id=" + id + ", profile=" + profile + ", protocol=" + protocol + ", convention="
        + convention + ", topic=" + topic + ", username=" + username + ", password=***, faults=" + faults
        + ", reportIntervalMs=" + reportIntervalMs + ", uri=" + uri + "]";
  }
}
