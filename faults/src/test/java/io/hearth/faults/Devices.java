package io.hearth.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hearth.sim.SimDevice;
import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimOptions;
import io.hearth.sim.Simulator;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Simulated devices (protocol-sim) for the fault scenarios: credentials, quiet reports, checks. */
final class Devices {
  /** Periodic reports far apart: every state change in a scenario comes from what it does. */
  static final long QUIET_REPORT_MS = 3_600_000;
  static final String GATEWAY_USER = "hearth-gateway";
  static final String GATEWAY_PASSWORD = "gw-secret-5d1e";

  private Devices() {}

  static SimDeviceSpec lamp(String id) {
    return SimDeviceSpec.mqtt(id, "light.dimmable").withCredentials(id, password(id))
        .withReportIntervalMs(QUIET_REPORT_MS);
  }

  static String password(String id) {
    return "pw-" + id + "-7f3a9c";
  }

  /** Mosquitto's users: the gateway and every device. */
  static Map<String, String> users(List<SimDeviceSpec> devices) {
    Map<String, String> users = new LinkedHashMap<>();
    users.put(GATEWAY_USER, GATEWAY_PASSWORD);
    devices.forEach(d -> users.put(d.username(), d.password()));
    return users;
  }

  static Simulator simulate(String mqttUrl, List<SimDeviceSpec> specs) {
    return Simulator.start(SimOptions.defaults(mqttUrl).withDefaultReportIntervalMs(QUIET_REPORT_MS)
        .withStartTimeout(Duration.ofSeconds(30)), specs);
  }

  /** Asserts that no device received any command id twice: nothing was executed twice. */
  static void assertNothingTwice(Simulator sim, List<String> ids) {
    for (String id : ids) {
      SimDevice d = sim.device(id);
      Map<String, Long> counts = d.receivedCommandIds().stream()
          .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
      Map<String, Long> twice = new HashMap<>(counts);
      twice.values().removeIf(n -> n < 2);
      assertEquals(Map.of(), twice, id + " received these command ids more than once");
    }
  }
}
