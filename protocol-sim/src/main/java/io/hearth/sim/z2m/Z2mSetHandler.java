package io.hearth.sim.z2m;

import io.hearth.sim.mqtt.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code Publish.onMQTTMessage} (lib/extension/publish.ts) for one simulated device: orders the
 * keys (state and brightness first, last when switching off), finds each key's toZigbee converter,
 * uses a converter once per message, and logs what Zigbee2MQTT logs when a key has no converter
 * ({@code No converter available for '<key>' on '<name>': (<value>)}), when the converter cannot
 * set/get ({@code No converter available for 'set' '<key>' (<value>)}) or when it throws
 * ({@code Publish 'set' '<key>' to '<name>' failed: 'Error: <text>'}). Then publishes the device's
 * state once if anything changed. Runs on the bridge's context.
 */
final class Z2mSetHandler {

  private final Zigbee2MqttBridge bridge;

  Z2mSetHandler(Zigbee2MqttBridge bridge) {
    this.bridge = bridge;
  }

  void handle(Z2mChildDevice d, boolean set, Map<String, Object> message) {
    String type = set ? "set" : "get";
    List<Map.Entry<String, Object>> entries = new ArrayList<>(message.entrySet());
    boolean off = message.get("state") instanceof String s && "off".equals(s.toLowerCase(Locale.ROOT));
    // entries.sort((a) => (["state","brightness","brightness_percent"].includes(a[0]) ? sorter : sorter * -1))
    entries.sort((a, b) -> {
      boolean sa = List.of("state", "brightness", "brightness_percent").contains(a.getKey());
      boolean sb = List.of("state", "brightness", "brightness_percent").contains(b.getKey());
      return sa == sb ? 0 : (sa ^ off) ? -1 : 1;
    });
    Set<Z2mConverters.Converter> used = new HashSet<>();
    boolean report = false;
    for (Map.Entry<String, Object> e : entries) {
      String key = e.getKey();
      Object value = e.getValue();
      Z2mConverters.Converter c = Z2mConverters.find(d.converters(), key);
      if (set && c != null && used.contains(c)) {
        continue; // "Use a converter for set only once"
      }
      if (c == null) {
        bridge.log("error", "No converter available for '" + key + "' on '" + d.friendlyName() + "': ("
            + stringify(value) + ")");
        continue;
      }
      if (set && !c.set() || !set && !c.get()) {
        bridge.log("error", "No converter available for '" + type + "' '" + key + "' (" + template(value) + ")");
        continue;
      }
      if (!d.available()) {
        // the device does not answer: zigbee-herdsman's request fails
        bridge.log("error", "Publish '" + type + "' '" + key + "' to '" + d.friendlyName() + "' failed: 'Error: ZCL "
            + "command " + d.ieee() + "/1 failed (Delivery failed)'");
        used.add(c);
        continue;
      }
      try {
        report |= set ? Z2mConverters.convertSet(c, key, value, message, d) : true; // get: the device answers a read
      } catch (Z2mConverters.ConverterError err) {
        bridge.log("error", "Publish '" + type + "' '" + key + "' to '" + d.friendlyName() + "' failed: 'Error: "
            + err.getMessage() + "'");
      }
      used.add(c);
    }
    if (report && !d.deviceCore().dropReply()) {
      bridge.publishState(d, null);
    }
  }

  /** json-stable-stringify of one value, as in the "No converter available ... on" message. */
  private static String stringify(Object value) {
    return new String(Json.writeSorted(value), StandardCharsets.UTF_8);
  }

  /** A JavaScript template literal's rendering of a JSON value. */
  private static String template(Object value) {
    if (value instanceof Map) {
      return "[object Object]";
    }
    if (value instanceof List<?> l) {
      List<String> parts = new ArrayList<>();
      for (Object o : l) {
        parts.add(template(o));
      }
      return String.join(",", parts);
    }
    if (value instanceof Double dbl && dbl == Math.rint(dbl)) {
      return String.valueOf(dbl.longValue());
    }
    return String.valueOf(value);
  }
}
