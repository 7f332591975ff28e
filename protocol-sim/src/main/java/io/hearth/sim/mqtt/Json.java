package io.hearth.sim.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** The simulator's JSON codec (one shared, thread-safe mapper). Internal to the simulator. */
public final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper SORTED = new ObjectMapper()
      .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

  private Json() {
  }

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes with every object's keys sorted, as {@code json-stable-stringify-without-jsonify} does
   * (Zigbee2MQTT's {@code stringify}, used for device states, {@code bridge/devices},
   * {@code bridge/logging}).
   */
  public static byte[] writeSorted(Object value) {
    try {
      return SORTED.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @throws IOException when the bytes are not one JSON object
   */
  public static Map<String, Object> readObject(byte[] bytes) throws IOException {
    if (bytes.length == 0) {
      throw new IOException("empty payload");
    }
    Map<String, Object> map = MAPPER.readValue(bytes, MAP);
    if (map == null) {
      throw new IOException("payload is not a JSON object");
    }
    return map;
  }
}
