package io.hearth.adapter.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.adapter.payload.MalformedPayloadException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Tasmota {@code tele/<t>/SENSOR} message, e.g.
 * {@code {"Time":"…","ENERGY":{"TotalStartTime":"…","Total":1.234,"Yesterday":0.1,"Today":0.2,
 * "Power":45,"ApparentPower":50,"ReactivePower":20,"Factor":0.9,"Voltage":230,"Current":0.21}}}
 * (xdrv_03_energy.ino, {@code EnergyShow}) or {@code {"Time":"…","AM2301":{"Temperature":21.4,
 * "Humidity":45.3,"DewPoint":9.1},"TempUnit":"C"}} (one object per sensor driver):
 * <ul>
 *   <li>{@code ENERGY.Power} W → {@code power_w}, {@code ENERGY.Total} kWh → {@code energy_kwh}; a
 *       multi-channel meter writes arrays ({@code "Power":[45,0]}): the first channel is the
 *       relay a Hearth device maps ({@code POWER1});
 *   <li>the first sensor object with a {@code Temperature} → {@code temperature} (°C; converted
 *       when {@code TempUnit} is {@code F}) and its {@code Humidity} → {@code humidity}.
 * </ul>
 * Voltage and current have no property in the plug profile and are left out.
 */
final class TasmotaSensor {
  private TasmotaSensor() {}

  static Map<String, Object> decode(ObjectNode json) {
    Map<String, Object> props = new LinkedHashMap<>();
    JsonNode energy = json.get("ENERGY");
    if (energy != null) {
      if (!energy.isObject()) {
        throw new MalformedPayloadException("ENERGY is not an object");
      }
      putFirst(props, "power_w", energy.get("Power"), "ENERGY.Power");
      putFirst(props, "energy_kwh", energy.get("Total"), "ENERGY.Total");
    }
    boolean fahrenheit = json.path("TempUnit").asText("C").equalsIgnoreCase("F");
    for (Map.Entry<String, JsonNode> field : json.properties()) {
      JsonNode sensor = field.getValue();
      if (field.getKey().equals("ENERGY") || !sensor.isObject() || !sensor.has("Temperature")) {
        continue;
      }
      double t = number(sensor.get("Temperature"), field.getKey() + ".Temperature");
      props.put("temperature", fahrenheit ? Math.round((t - 32) * 5 / 9 * 100) / 100.0 : t);
      JsonNode h = sensor.get("Humidity");
      if (h != null && !h.isNull()) {
        props.put("humidity", Math.max(0, Math.min(100, number(h, field.getKey() + ".Humidity"))));
      }
      break;
    }
    return props;
  }

  private static void putFirst(Map<String, Object> props, String name, JsonNode node, String field) {
    if (node == null || node.isNull()) {
      return;
    }
    JsonNode value = node.isArray() ? node.path(0) : node;
    props.put(name, Math.max(0, number(value, field)));
  }

  private static double number(JsonNode node, String field) {
    if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
      throw new MalformedPayloadException(field + " is not a number");
    }
    return node.doubleValue();
  }
}
