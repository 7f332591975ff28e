package io.hearth.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hearth.sim.behavior.Behaviors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the devices file (the gateway's {@code devices.yaml} format, {@code docs/devices.md}) with
 * an optional per-device {@code sim:} map: {@code reportIntervalMs}, {@code replyDelayMs},
 * {@code dropReplies} (0..1 or true/false), {@code reject}, {@code jammed}, {@code packetLoss}
 * (0..1, CoAP); any other {@code sim:} key is a firmware setting (Tasmota {@code mac},
 * {@code telePeriodMs}, {@code setOption90}...; Zigbee2MQTT {@code ieeeAddress}, {@code retain}).
 * CoAP entries take their address from {@code binding.uri}. An optional top-level {@code bridges:}
 * list declares Zigbee2MQTT bridges ({@code {id, convention: zigbee2mqtt, baseTopic, credentials,
 * sim}}); devices with {@code binding.bridge} are served by that bridge, their {@code binding.topic}
 * being the friendly name. See protocol-sim/README.md.
 */
public final class SimDevices {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private SimDevices() {
  }

  /**
   * @throws UncheckedIOException     when the file cannot be read or parsed
   * @throws IllegalArgumentException naming the entry when an entry is invalid
   */
  public static List<SimDeviceSpec> load(Path file) {
    Objects.requireNonNull(file, "file");
    Object root;
    try {
      root = YAML.readValue(file.toFile(), Object.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read devices file " + file + ": " + e.getMessage(), e);
    }
    if (!(root instanceof Map) || !(((Map<?, ?>) root).get("devices") instanceof List)) {
      throw new IllegalArgumentException(file + ": expected a top-level 'devices:' list");
    }
    Map<String, SimDeviceSpec> bridges = new java.util.LinkedHashMap<>();
    Map<String, List<SimDeviceSpec>> behind = new java.util.HashMap<>();
    Set<String> ids = new HashSet<>();
    Object bridgeList = ((Map<?, ?>) root).get("bridges");
    if (bridgeList != null && !(bridgeList instanceof List)) {
      throw new IllegalArgumentException(file + ": 'bridges:' must be a list");
    }
    int index = 0;
    for (Object entry : bridgeList == null ? List.of() : (List<?>) bridgeList) {
      String where = file.getFileName() + " bridges[" + index++ + "]";
      if (!(entry instanceof Map)) {
        throw new IllegalArgumentException(where + ": expected a map");
      }
      SimDeviceSpec b = parseBridge((Map<?, ?>) entry, where);
      if (!ids.add(b.id())) {
        throw new IllegalArgumentException(where + ": duplicate id " + b.id());
      }
      bridges.put(b.id(), b);
      behind.put(b.id(), new ArrayList<>());
    }
    List<Object> order = new ArrayList<>(bridges.values());
    index = 0;
    for (Object entry : (List<?>) ((Map<?, ?>) root).get("devices")) {
      String where = file.getFileName() + " devices[" + index++ + "]";
      if (!(entry instanceof Map)) {
        throw new IllegalArgumentException(where + ": expected a map");
      }
      SimDeviceSpec spec = parse((Map<?, ?>) entry, where);
      if (!ids.add(spec.id())) {
        throw new IllegalArgumentException(where + ": duplicate device id " + spec.id());
      }
      Object bridge = ((Map<?, ?>) ((Map<?, ?>) entry).get("binding")).get("bridge");
      if (bridge != null) {
        List<SimDeviceSpec> list = behind.get(bridge.toString());
        if (list == null || !"zigbee2mqtt".equals(spec.convention())) {
          throw new IllegalArgumentException(where + ": binding.bridge " + bridge
              + (list == null ? " is not declared under bridges:" : " needs convention zigbee2mqtt"));
        }
        list.add(spec);
      } else {
        order.add(spec);
      }
    }
    List<SimDeviceSpec> out = new ArrayList<>();
    for (Object o : order) {
      SimDeviceSpec s = (SimDeviceSpec) o;
      out.add(s.isBridge() ? new SimDeviceSpec(s.id(), s.profile(), s.protocol(), s.convention(), s.topic(),
          s.username(), s.password(), s.faults(), s.reportIntervalMs(), null, s.firmware(), behind.get(s.id())) : s);
    }
    return out;
  }

  private static SimDeviceSpec parseBridge(Map<?, ?> e, String where) {
    try {
      String id = string(e.get("id"), "id");
      String convention = e.get("convention") == null ? "zigbee2mqtt" : e.get("convention").toString();
      if (!"zigbee2mqtt".equals(convention)) {
        throw new IllegalArgumentException("convention must be zigbee2mqtt");
      }
      String base = e.get("baseTopic") == null ? "zigbee2mqtt" : e.get("baseTopic").toString();
      String username = null;
      String password = null;
      if (e.get("credentials") != null) {
        Map<?, ?> c = map(e.get("credentials"), "credentials");
        username = string(c.get("username"), "credentials.username");
        password = string(c.get("password"), "credentials.password");
      }
      Map<?, ?> sim = e.get("sim") == null ? Map.of() : map(e.get("sim"), "sim");
      return new SimDeviceSpec(id, SimDeviceSpec.BRIDGE_PROFILE, "mqtt", "zigbee2mqtt", base, username, password,
          SimFaults.NONE, 0, null, firmware(sim), List.of());
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
    }
  }

  private static final Set<String> SIM_KEYS = Set.of("reportIntervalMs", "replyDelayMs", "dropReplies", "reject",
      "jammed", "packetLoss");

  /** The {@code sim:} keys that are not faults or intervals: firmware settings. */
  private static Map<String, Object> firmware(Map<?, ?> sim) {
    Map<String, Object> f = new java.util.LinkedHashMap<>();
    for (Map.Entry<?, ?> en : sim.entrySet()) {
      if (!SIM_KEYS.contains(String.valueOf(en.getKey())) && en.getValue() != null) {
        f.put(String.valueOf(en.getKey()), en.getValue());
      }
    }
    return f;
  }

  private static SimDeviceSpec parse(Map<?, ?> e, String where) {
    try {
      String id = string(e.get("id"), "id");
      String profile = string(e.get("profile"), "profile");
      Behaviors.create(profile); // fail early on an unknown profile
      Map<?, ?> binding = map(e.get("binding"), "binding");
      String protocol = string(binding.get("protocol"), "binding.protocol");
      String convention = binding.get("convention") == null ? "hearth" : binding.get("convention").toString();
      String topic = binding.get("topic") == null ? null : binding.get("topic").toString();
      String uri = binding.get("uri") == null ? null : binding.get("uri").toString();
      String username = null;
      String password = null;
      if (binding.get("credentials") != null) {
        Map<?, ?> c = map(binding.get("credentials"), "binding.credentials");
        username = string(c.get("username"), "binding.credentials.username");
        password = string(c.get("password"), "binding.credentials.password");
      }
      Map<?, ?> sim = e.get("sim") == null ? Map.of() : map(e.get("sim"), "sim");
      SimFaults faults = new SimFaults(
          number(sim.get("replyDelayMs"), "sim.replyDelayMs", 0).longValue(),
          probability(sim.get("dropReplies")),
          bool(sim.get("reject"), "sim.reject"),
          bool(sim.get("jammed"), "sim.jammed"),
          number(sim.get("packetLoss"), "sim.packetLoss", 0).doubleValue());
      long interval = number(sim.get("reportIntervalMs"), "sim.reportIntervalMs", 0).longValue();
      return new SimDeviceSpec(id, profile, protocol, convention, topic, username, password, faults, interval,
          "coap".equals(protocol) ? uri : null, firmware(sim), List.of());
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
    }
  }

  /**
   * Makes {@code n} hearth-convention devices without a file, cycling through every built-in
   * profile: ids {@code sim-00000}, {@code sim-00001}...
   */
  public static List<SimDeviceSpec> generate(int n, List<String> profiles) {
    return generate(n, profiles, "mqtt");
  }

  /**
   * Like {@link #generate(int, List)} for either protocol: {@code coap} devices have no uri, so they
   * take ports from {@link SimOptions#coapBasePort()}.
   */
  public static List<SimDeviceSpec> generate(int n, List<String> profiles, String protocol) {
    if (!"mqtt".equals(protocol) && !"coap".equals(protocol)) {
      throw new IllegalArgumentException("protocol must be mqtt or coap: " + protocol);
    }
    List<String> mix = profiles == null || profiles.isEmpty() ? Behaviors.profiles() : List.copyOf(profiles);
    mix.forEach(Behaviors::create);
    List<SimDeviceSpec> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String id = String.format("sim-%05d", i);
      String profile = mix.get(i % mix.size());
      out.add("coap".equals(protocol) ? SimDeviceSpec.coap(id, profile, null) : SimDeviceSpec.mqtt(id, profile));
    }
    return out;
  }

  private static String string(Object o, String key) {
    if (o == null || o.toString().isBlank()) {
      throw new IllegalArgumentException(key + " is required");
    }
    return o.toString();
  }

  private static Map<?, ?> map(Object o, String key) {
    if (!(o instanceof Map)) {
      throw new IllegalArgumentException(key + ": expected a map");
    }
    return (Map<?, ?>) o;
  }

  private static Number number(Object o, String key, long dflt) {
    if (o == null) {
      return dflt;
    }
    if (!(o instanceof Number)) {
      throw new IllegalArgumentException(key + ": expected a number");
    }
    return (Number) o;
  }

  private static boolean bool(Object o, String key) {
    if (o == null) {
      return false;
    }
    if (!(o instanceof Boolean)) {
      throw new IllegalArgumentException(key + ": expected true or false");
    }
    return (Boolean) o;
  }

  private static double probability(Object o) {
    if (o instanceof Boolean) {
      return (Boolean) o ? 1.0 : 0.0;
    }
    return number(o, "sim.dropReplies", 0).doubleValue();
  }
}
