package io.hearth.gateway.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds a key repeated within one JSON object ({@code {"set":…,"set":…}}), which a request or a
 * WebSocket message must not contain (docs/api.md, "Errors"): a tree builder would silently keep the
 * last one, so the client and the gateway could read the same body differently. Fed token by token
 * by a streaming walk; memory grows with the keys of the open objects only.
 */
public final class JsonKeys {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final Set<String> ARRAY = Set.of();

  private final Deque<Set<String>> open = new ArrayDeque<>();

  /** Takes the parser's current token; returns the key it repeats, or null. */
  String onToken(JsonToken token, JsonParser parser) throws IOException {
    switch (token) {
      case START_OBJECT -> open.push(new HashSet<>());
      case START_ARRAY -> open.push(ARRAY);
      case END_OBJECT, END_ARRAY -> open.pop();
      case FIELD_NAME -> {
        String name = parser.currentName();
        if (!open.peek().add(name)) {
          return name;
        }
      }
      default -> { }
    }
    return null;
  }

  /**
   * The first key {@code json} repeats within one object, or null (also when it is not well-formed
   * JSON: the caller's parser reports that).
   */
  public static String firstDuplicate(String json) {
    JsonKeys keys = new JsonKeys();
    try (JsonParser parser = FACTORY.createParser(json)) {
      for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
        String duplicate = keys.onToken(t, parser);
        if (duplicate != null) {
          return duplicate;
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }
}
