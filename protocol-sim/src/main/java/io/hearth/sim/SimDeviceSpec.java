package io.hearth.sim;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One simulated device: an entry of the devices file.
 *
 * @param id               device id ({@code [a-z0-9_-]{1,64}})
 * @param profile          built-in profile id, e.g. {@code light.dimmable}
 * @param protocol         {@code mqtt} (or {@code coap}, not simulated yet)
 * @param convention       {@code hearth}, {@code tasmota} or {@code zigbee2mqtt}
 * @param topic            topic stem for tasmota/zigbee2mqtt; defaults to the id
 * @param username         MQTT user name, or null for anonymous
 * @param password         MQTT password, or null
 * @param faults           initial faults
 * @param reportIntervalMs periodic report interval; 0 means the simulator's default
 */
public record SimDeviceSpec(String id, String profile, String protocol, String convention, String topic,
    String username, String password, SimFaults faults, long reportIntervalMs) {

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
  }

  /** A hearth-convention MQTT device without credentials. */
  public static SimDeviceSpec mqtt(String id, String profile) {
    return new SimDeviceSpec(id, profile, "mqtt", "hearth", null, null, null, SimFaults.NONE, 0);
  }

  public SimDeviceSpec withConvention(String newConvention, String newTopic) {
    return new SimDeviceSpec(id, profile, protocol, newConvention, newTopic, username, password, faults,
        reportIntervalMs);
  }

  public SimDeviceSpec withCredentials(String newUsername, String newPassword) {
    return new SimDeviceSpec(id, profile, protocol, convention, topic, newUsername, newPassword, faults,
        reportIntervalMs);
  }

  public SimDeviceSpec withFaults(SimFaults newFaults) {
    return new SimDeviceSpec(id, profile, protocol, convention, topic, username, password, newFaults,
        reportIntervalMs);
  }

  public SimDeviceSpec withReportIntervalMs(long ms) {
    return new SimDeviceSpec(id, profile, protocol, convention, topic, username, password, faults, ms);
  }

  @Override
  public String toString() {
    return "SimDeviceSpec[id=" + id + ", profile=" + profile + ", protocol=" + protocol + ", convention="
        + convention + ", topic=" + topic + ", username=" + username + ", password=***, faults=" + faults
        + ", reportIntervalMs=" + reportIntervalMs + "]";
  }
}
