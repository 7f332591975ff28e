package io.hearth.gateway.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.adapter.Transports;
import io.hearth.device.Binding;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.PowerSource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * JSON forms of what the store keeps in text columns.
 *
 * <p>Value maps keep their Java types across a round trip: integral JSON numbers are read as
 * {@link Long} and numbers with a fraction or exponent as {@link Double}; Jackson writes every
 * {@code Double} with a decimal point ({@code 40.0}), so {@code 40L} and {@code 40.0} stay apart.
 * An {@code Integer} or {@code Float} comes back widened to {@code Long} or {@code Double}.
 * Instants are kept to the millisecond.
 */
final class StoreJson {
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final Transports transports;
  private final ObjectMapper mapper = JsonMapper.builder()
      .enable(DeserializationFeature.USE_LONG_FOR_INTS)
      .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  /** @param transports reads and writes each binding in its protocol's stored form */
  StoreJson(Transports transports) {
    this.transports = Objects.requireNonNull(transports, "transports");
  }

  String values(Map<String, Object> values) {
    return write(values);
  }

  Map<String, Object> values(String json) {
    if (json == null || json.isEmpty()) {
      return Map.of();
    }
    try {
      return Collections.unmodifiableMap(mapper.readValue(json, MAP));
    } catch (JsonProcessingException e) {
      throw new StoreException("unreadable value map: " + e.getOriginalMessage(), e);
    }
  }

  String instants(Map<String, Instant> instants) {
    ObjectNode node = mapper.createObjectNode();
    instants.forEach((key, ts) -> node.put(key, ts == null ? null : millis(ts).toString()));
    return write(node);
  }

  Map<String, Instant> instants(String json) {
    if (json == null || json.isEmpty()) {
      return Map.of();
    }
    Map<String, Instant> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = read(json).fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      out.put(field.getKey(), Instant.parse(field.getValue().asText()));
    }
    return Collections.unmodifiableMap(out);
  }

  String definition(DeviceDefinition device) {
    ObjectNode node = mapper.createObjectNode();
    node.put("id", device.id());
    node.put("name", device.name());
    node.put("room", device.room());
    node.put("profile", device.profileId());
    if (device.powerSource() != null) { // absent in rows written before them: read back as null
      node.put("powerSource", device.powerSource().wireName());
    }
    if (device.availabilityTimeoutMin() != null) {
      node.put("availabilityTimeoutMin", device.availabilityTimeoutMin());
    }
    // protocol, convention, then the transport's own keys (older rows: every protocol's keys, null
    // where unused; both read back, see Transport#fromStored)
    node.set("binding", mapper.valueToTree(transports.toStored(device.binding())));
    return write(node);
  }

  DeviceDefinition definition(String json) {
    JsonNode node = read(json);
    JsonNode b = node.path("binding");
    Binding binding;
    try {
      binding = transports.fromStored(b.isObject() ? mapper.convertValue(b, MAP) : Map.of());
    } catch (IllegalArgumentException e) {
      throw new StoreException("unreadable device '" + text(node, "id") + "': " + e.getMessage(), e);
    }
    JsonNode timeout = node.get("availabilityTimeoutMin");
    return new DeviceDefinition(text(node, "id"), text(node, "name"), text(node, "room"), text(node, "profile"),
        binding, PowerSource.fromWire(text(node, "powerSource")),
        timeout == null || !timeout.canConvertToInt() ? null : timeout.intValue());
  }

  /** Truncates to what the store keeps: milliseconds. */
  static Instant millis(Instant ts) {
    return ts.truncatedTo(ChronoUnit.MILLIS);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private JsonNode read(String json) {
    try {
      return mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new StoreException("unreadable JSON column: " + e.getOriginalMessage(), e);
    }
  }

  private String write(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }
}
