package io.hearth.adapter.payload;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Defensive JSON for device payloads: a size cap checked before parsing, tight Jackson read
 * constraints (nesting depth, string, number and name lengths, duplicate keys), and conversion of
 * JSON scalars to the plain Java values of the device model (Boolean, Long, Double, String).
 */
public final class JsonPayloads {

  /** Payloads larger than this are dropped before any parsing. */
  public static final int MAX_PAYLOAD_BYTES = 256 * 1024;

  private static final ObjectMapper MAPPER = createMapper();

  private JsonPayloads() {}

  private static ObjectMapper createMapper() {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(16)
            .maxStringLength(16 * 1024)
            .maxNumberLength(64)
            .maxNameLength(256)
            .maxDocumentLength(MAX_PAYLOAD_BYTES)
            .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    return new ObjectMapper(factory)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** The shared mapper, for encoding outbound payloads. */
  static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Parses a payload that must be a JSON object.
   *
   * @throws MalformedPayloadException if too large, not JSON, or not an object
   */
  public static ObjectNode parseObject(byte[] payload) {
    JsonNode node = parse(payload);
    if (!(node instanceof ObjectNode)) {
      throw new MalformedPayloadException("not a JSON object");
    }
    return (ObjectNode) node;
  }

  /**
   * Parses any JSON payload.
   *
   * @throws MalformedPayloadException if too large or not JSON
   */
  public static JsonNode parse(byte[] payload) {
    checkSize(payload);
    if (payload.length == 0) {
      throw new MalformedPayloadException("empty payload");
    }
    try {
      JsonNode node = MAPPER.readTree(payload);
      if (node == null || node.isMissingNode()) {
        throw new MalformedPayloadException("empty payload");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new MalformedPayloadException("not valid JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new MalformedPayloadException("unreadable payload", e);
    }
  }

  /** A payload as trimmed UTF-8 text (for plain payloads such as {@code ON}, {@code online}). */
  public static String text(byte[] payload) {
    checkSize(payload);
    return new String(payload, StandardCharsets.UTF_8).trim();
  }

  /** @throws MalformedPayloadException if larger than {@link #MAX_PAYLOAD_BYTES} */
  public static void checkSize(byte[] payload) {
    if (payload.length > MAX_PAYLOAD_BYTES) {
      throw new MalformedPayloadException("payload too large (" + payload.length + " bytes)");
    }
  }

  /**
   * A JSON scalar as a plain Java value: Boolean, Long (integral values that fit), Double
   * (other numbers), String. Null, arrays and objects give null: the device model has no such
   * values.
   */
  public static Object toJava(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isNumber()) {
      return number(node);
    }
    return null;
  }

  private static Object number(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? (Object) node.longValue() : (Object) node.doubleValue();
    }
    double d = node.doubleValue();
    if (Double.isInfinite(d) || Double.isNaN(d)) {
      return null;
    }
    if (d == Math.rint(d) && Math.abs(d) <= 9.007199254740992E15) {
      return (long) d;
    }
    return d;
  }

  /**
   * The scalar members of an object as plain Java values, in document order; members that are
   * null, arrays or objects are left out.
   */
  public static Map<String, Object> scalars(ObjectNode object) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      Object value = toJava(field.getValue());
      if (value != null) {
        out.put(field.getKey(), value);
      }
    }
    return out;
  }

  /**
   * The members of a reported state as plain Java values, for the profile check: like
   * {@link #scalars}, but a member no profile value can be (a number beyond double range such as
   * {@code 1e400}, an array, an object) is kept as it is (an infinite double, a list, a map), so
   * that the profile check refuses and counts it instead of it vanishing unseen. Only for values
   * that are checked against a profile before they go anywhere.
   */
  public static Map<String, Object> reported(ObjectNode object) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      JsonNode node = field.getValue();
      Object value = toJava(node);
      if (value == null && !node.isNull()) {
        value = node.isNumber() ? (Object) node.doubleValue() : MAPPER.convertValue(node, Object.class);
      }
      if (value != null) {
        out.put(field.getKey(), value);
      }
    }
    return out;
  }

  /** Encodes a value tree (maps, lists, scalars) as compact JSON. */
  public static byte[] encode(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value cannot be encoded as JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
