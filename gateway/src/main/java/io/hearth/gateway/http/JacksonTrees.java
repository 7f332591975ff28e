package io.hearth.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;

/** Converts Vert.x JSON to Jackson trees for the parsers shared with the YAML files. */
final class JacksonTrees {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JacksonTrees() {}

  static JsonNode of(JsonObject o) {
    try {
      return o == null ? null : MAPPER.readTree(o.encode());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("unreadable JSON", e);
    }
  }
}
