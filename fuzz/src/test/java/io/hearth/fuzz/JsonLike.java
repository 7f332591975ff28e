package io.hearth.fuzz;

import java.util.List;
import java.util.Map;

/**
 * The shape every decoded value must have to travel on as JSON: String, Boolean, Number, null, or
 * Maps (String keys) and Lists of those. Anything else (a Jackson node, a byte[]) would break or
 * change meaning further down (profile check, store, REST, WebSocket). Non-finite numbers, lists
 * and maps are allowed: a reported state keeps them on purpose so that the profile check refuses
 * and counts them ({@code JsonPayloads.reported}).
 */
public final class JsonLike {
  private static final int MAX_DEPTH = 64;

  private JsonLike() {}

  /** Throws {@link AssertionError} naming the path of the first value that is not JSON-like. */
  public static void check(String path, Object value) {
    check(path, value, 0);
  }

  private static void check(String path, Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw new AssertionError(path + ": nested deeper than " + MAX_DEPTH);
    }
    if (value == null || value instanceof String || value instanceof Boolean) {
      return;
    }
    if (value instanceof Number) {
      return;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new AssertionError(path + ": key that is not a string: " + e.getKey());
        }
        check(path + "." + key, e.getValue(), depth + 1);
      }
      return;
    }
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        check(path + "[" + i + "]", list.get(i), depth + 1);
      }
      return;
    }
    throw new AssertionError(path + ": not a JSON value: " + value.getClass().getName());
  }
}
