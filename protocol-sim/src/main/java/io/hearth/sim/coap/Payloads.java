package io.hearth.sim.coap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.eclipse.californium.core.coap.MediaTypeRegistry;

/**
 * The CoAP devices' payload codecs: JSON (content-format 50) and CBOR (60), one shared, thread-safe
 * mapper each. The simulator's own, never the gateway's.
 */
final class Payloads {

  static final int JSON = MediaTypeRegistry.APPLICATION_JSON;
  static final int CBOR = MediaTypeRegistry.APPLICATION_CBOR;

  private static final ObjectMapper JSON_MAPPER = new ObjectMapper();
  private static final ObjectMapper CBOR_MAPPER = new ObjectMapper(new CBORFactory());
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

  private Payloads() {
  }

  /** Whether a content-format is one the devices speak. */
  static boolean supported(int contentFormat) {
    return contentFormat == JSON || contentFormat == CBOR;
  }

  static byte[] encode(Object value, int contentFormat) {
    try {
      if (contentFormat != CBOR) {
        return JSON_MAPPER.writeValueAsBytes(value);
      }
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64);
      try (com.fasterxml.jackson.core.JsonGenerator gen = CBOR_MAPPER.getFactory().createGenerator(out)) {
        writeCbor(gen, value);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * CBOR with definite-length maps and arrays, as small devices' encoders (tinycbor, QCBOR) write them;
   * Jackson's own serializer writes indefinite-length ones.
   */
  private static void writeCbor(com.fasterxml.jackson.core.JsonGenerator gen, Object value) throws IOException {
    if (value instanceof Map<?, ?> map) {
      gen.writeStartObject(map, map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        gen.writeFieldName(String.valueOf(e.getKey()));
        writeCbor(gen, e.getValue());
      }
      gen.writeEndObject();
    } else if (value instanceof java.util.List<?> list) {
      gen.writeStartArray(list, list.size());
      for (Object o : list) {
        writeCbor(gen, o);
      }
      gen.writeEndArray();
    } else {
      CBOR_MAPPER.writeValue(gen, value);
    }
  }

  /**
   * Decodes one object; an empty payload is an empty object.
   *
   * @throws IOException when the bytes are not one object in that format
   */
  static Map<String, Object> decodeObject(byte[] bytes, int contentFormat) throws IOException {
    if (bytes == null || bytes.length == 0) {
      return Map.of();
    }
    Map<String, Object> map = (contentFormat == CBOR ? CBOR_MAPPER : JSON_MAPPER).readValue(bytes, MAP);
    if (map == null) {
      throw new IOException("not an object");
    }
    return map;
  }
}
