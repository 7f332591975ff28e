package io.hearth.sim.z2m;

import io.hearth.sim.mqtt.Json;
import io.hearth.sim.mqtt.MqttLink;
import io.hearth.sim.mqtt.Publication;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Bridge extension's documents and requests (lib/extension/bridge.ts): {@code publishInfo},
 * {@code publishDevices} and the {@code health_check} / {@code permit_join} requests with their
 * {@code utils.getResponse} answers ({@code {"data":...,"status":"ok"}}, or
 * {@code {"data":{},"error":"...","status":"error"}}, with the request's {@code transaction} echoed).
 */
final class Z2mBridgeInfo {

  static final String VERSION = "2.12.1";

  private Z2mBridgeInfo() {
  }

  /** {@code publishInfo}, reduced to what a client reads (no {@code config_schema}). */
  static Map<String, Object> info(Zigbee2MqttBridge b, MqttLink link, boolean permitJoin, Long permitJoinEnd) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", VERSION);
    m.put("commit", "unknown");
    m.put("zigbee_herdsman", Map.of("version", "6.0.0"));
    m.put("zigbee_herdsman_converters", Map.of("version", "25.0.0"));
    Map<String, Object> coordinator = new LinkedHashMap<>();
    coordinator.put("ieee_address", b.coordinatorIeee());
    coordinator.put("type", "zStack3x0");
    coordinator.put("meta", Map.of("revision", 20240710, "transportrev", 2, "product", 1));
    m.put("coordinator", coordinator);
    m.put("network", Map.of("pan_id", 6754, "extended_pan_id", "0xdddddddddddddddd", "channel", 11));
    m.put("log_level", "info");
    m.put("permit_join", permitJoin);
    if (permitJoinEnd != null) {
      m.put("permit_join_end", permitJoinEnd);
    }
    m.put("restart_required", false);
    m.put("mqtt", Map.of("server", "mqtt://broker", "version", 4));
    Map<String, Object> mqtt = new LinkedHashMap<>();
    mqtt.put("base_topic", b.base());
    mqtt.put("server", "mqtt://broker");
    m.put("config", Map.of("mqtt", mqtt, "advanced", Map.of("cache_state", true, "output", "json",
        "last_seen", "disable"), "availability", Map.of("enabled", true)));
    return m;
  }

  /** {@code publishDevices}: the coordinator, then every device with its definition and exposes. */
  static List<Map<String, Object>> devices(Zigbee2MqttBridge b) {
    List<Map<String, Object>> out = new ArrayList<>();
    Map<String, Object> coord = new LinkedHashMap<>();
    coord.put("ieee_address", b.coordinatorIeee());
    coord.put("type", "Coordinator");
    coord.put("network_address", 0);
    coord.put("supported", true);
    coord.put("friendly_name", "Coordinator");
    coord.put("disabled", false);
    coord.put("interviewing", false);
    coord.put("interview_completed", true);
    coord.put("interview_state", "SUCCESSFUL");
    coord.put("endpoints", Map.of());
    out.add(coord);
    int nwk = 0x1000;
    for (Z2mChildDevice d : b.children()) {
      String profile = d.profile();
      boolean battery = Z2mExposes.battery(profile);
      Map<String, Object> def = new LinkedHashMap<>();
      def.put("source", "native");
      def.put("model", "SIM-" + profile.toUpperCase().replace('.', '-'));
      def.put("vendor", "hearth-sim");
      def.put("description", "Simulated " + profile + " (protocol-sim)");
      def.put("exposes", Z2mExposes.of(profile));
      def.put("supports_ota", false);
      def.put("options", List.of());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ieee_address", d.ieee());
      m.put("type", battery ? "EndDevice" : "Router");
      m.put("network_address", nwk++);
      m.put("supported", true);
      m.put("friendly_name", d.friendlyName());
      m.put("disabled", false);
      m.put("definition", def);
      m.put("power_source", battery ? "Battery" : "Mains (single phase)");
      m.put("model_id", "SIM-" + profile);
      m.put("manufacturer", "hearth-sim");
      m.put("interviewing", false);
      m.put("interview_completed", true);
      m.put("interview_state", "SUCCESSFUL");
      m.put("endpoints", Map.of("1", Map.of("bindings", List.of(), "configured_reportings", List.of(),
          "scenes", List.of(), "clusters", Map.of("input", List.of("genBasic"), "output", List.of()))));
      out.add(m);
    }
    return out;
  }

  /** {@code Bridge.onMQTTMessage} for the requests the simulator answers; others are ignored. */
  static void request(Zigbee2MqttBridge b, String topic, String key, String payload) {
    Object message;
    try {
      message = new com.fasterxml.jackson.databind.ObjectMapper().readValue(payload, Object.class);
    } catch (IOException e) {
      message = payload; // utils.parseJSON(value, fallback)
    }
    Map<String, Object> response;
    switch (key.toLowerCase()) {
      case "health_check":
        response = ok(message, Map.of("healthy", true));
        break;
      case "permit_join": {
        Integer time = null;
        if (message instanceof Map<?, ?> m) {
          if (m.get("time") != null) {
            time = parseInt(String.valueOf(m.get("time")));
          }
        } else {
          time = parseInt(String.valueOf(message));
        }
        if (time == null) {
          b.log("error", "Request '" + topic + "' failed with error: 'Invalid payload'");
          response = error(message, "Invalid payload");
        } else {
          b.permitJoin(time);
          response = ok(message, Map.of("time", time));
        }
        break;
      }
      default:
        return;
    }
    b.publish(List.of(new Publication(b.base() + "/bridge/response/" + key, Json.writeSorted(response), false)));
  }

  private static Integer parseInt(String s) {
    try {
      return (int) Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Map<String, Object> ok(Object request, Object data) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("data", data);
    r.put("status", "ok");
    transaction(request, r);
    return r;
  }

  private static Map<String, Object> error(Object request, String error) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("data", Map.of());
    r.put("status", "error");
    r.put("error", error);
    transaction(request, r);
    return r;
  }

  private static void transaction(Object request, Map<String, Object> r) {
    if (request instanceof Map<?, ?> m && m.get("transaction") != null) {
      r.put("transaction", m.get("transaction"));
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
