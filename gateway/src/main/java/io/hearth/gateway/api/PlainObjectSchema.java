package io.hearth.gateway.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A quick "certainly valid" answer for request bodies of a plain object schema, the common case of
 * {@code POST /devices/{id}/commands} ({@code {"set":{…},"wait":true}}), before the JSON-schema
 * interpreter runs. Vert.x's interpreter builds error objects with their schema locations for every
 * failing branch, also when the whole value is valid (one of {@code oneOf: [{required:[set]},
 * {required:[action]}]} always fails), which made body validation the largest cost of a command on
 * the event loop (docs/benchmarks.md).
 *
 * <p>Sound by construction, never complete: {@link #certainlyValid} says true only when every
 * keyword the value meets is one this class evaluates itself — an object with
 * {@code additionalProperties: false}, {@code properties}, {@code required}, {@code oneOf} of
 * {@code required} lists, {@code dependentRequired}; properties of type object (with
 * {@code min/maxProperties}), boolean, integer (with {@code minimum/maximum}), string (with
 * {@code min/maxLength}, {@code enum}; not {@code pattern}: JSON-schema and Java regular expressions
 * differ) — and false for anything else, which then goes to the full
 * validator, so every error still comes from it, word for word. A schema with any other keyword at
 * its top is not handled at all ({@link #of} gives null).
 */
final class PlainObjectSchema {
  /** Keywords of the object itself this class evaluates (or that do not constrain: annotations). */
  private static final Set<String> ROOT = Set.of("type", "additionalProperties", "properties", "required", "oneOf",
      "dependentRequired", "description", "title");
  /** Keywords of a property this class evaluates (or annotations). */
  private static final Set<String> PROPERTY = Set.of("type", "minProperties", "maxProperties", "minimum", "maximum",
      "minLength", "maxLength", "enum", "description", "default", "title");
  /** Vert.x's own bookkeeping keys in a dereferenced schema ({@code __absolute_uri__}…): not keywords. */
  private static final Pattern INTERNAL = Pattern.compile("__.*__");

  private final Map<String, JsonObject> properties;
  private final List<String> required;
  private final List<List<String>> oneOfRequired;
  private final Map<String, List<String>> dependentRequired;

  private PlainObjectSchema(Map<String, JsonObject> properties, List<String> required,
      List<List<String>> oneOfRequired, Map<String, List<String>> dependentRequired) {
    this.properties = properties;
    this.required = required;
    this.oneOfRequired = oneOfRequired;
    this.dependentRequired = dependentRequired;
  }

  /** The quick check for {@code schema}, or null when its shape is not one this class evaluates. */
  static PlainObjectSchema of(JsonSchema schema) {
    if (schema == null || !"object".equals(schema.get("type")) || !Boolean.FALSE.equals(schema.get("additionalProperties"))
        || !(schema.get("properties") instanceof JsonObject props)) {
      return null;
    }
    for (String k : schema.fieldNames()) {
      if (!ROOT.contains(k) && !INTERNAL.matcher(k).matches()) {
        return null;
      }
    }
    Map<String, JsonObject> properties = new HashMap<>();
    for (String name : props.fieldNames()) {
      if (!(props.getValue(name) instanceof JsonObject p)) {
        return null;
      }
      properties.put(name, p);
    }
    List<List<String>> oneOf = new ArrayList<>();
    if (schema.get("oneOf") != null) {
      if (!(schema.get("oneOf") instanceof JsonArray branches)) {
        return null;
      }
      for (Object b : branches) {
        if (!(b instanceof JsonObject branch) || !keywords(branch).equals(Set.of("required"))
            || strings(branch.getValue("required")) == null) {
          return null;
        }
        oneOf.add(strings(branch.getValue("required")));
      }
    }
    List<String> required = schema.get("required") == null ? List.of() : strings(schema.get("required"));
    Map<String, List<String>> dependent = new HashMap<>();
    if (schema.get("dependentRequired") != null) {
      if (!(schema.get("dependentRequired") instanceof JsonObject deps)) {
        return null;
      }
      for (String k : keywords(deps)) {
        List<String> d = strings(deps.getValue(k));
        if (d == null) {
          return null;
        }
        dependent.put(k, d);
      }
    }
    return required == null ? null : new PlainObjectSchema(properties, required, oneOf, dependent);
  }

  /** True only if {@code value} certainly meets the schema; false: let the full validator decide. */
  boolean certainlyValid(Object value) {
    if (!(value instanceof JsonObject o)) {
      return false;
    }
    for (String name : o.fieldNames()) {
      JsonObject p = properties.get(name);
      if (p == null || !propertyValid(p, o.getValue(name))) {
        return false;
      }
    }
    for (String r : required) {
      if (!o.containsKey(r)) {
        return false;
      }
    }
    if (!oneOfRequired.isEmpty()
        && oneOfRequired.stream().filter(branch -> branch.stream().allMatch(o::containsKey)).count() != 1) {
      return false;
    }
    for (Map.Entry<String, List<String>> d : dependentRequired.entrySet()) {
      if (o.containsKey(d.getKey()) && !d.getValue().stream().allMatch(o::containsKey)) {
        return false;
      }
    }
    return true;
  }

  private static boolean propertyValid(JsonObject p, Object v) {
    for (String k : p.fieldNames()) {
      if (!PROPERTY.contains(k) && !INTERNAL.matcher(k).matches()) {
        return false;
      }
    }
    Object type = p.getValue("type");
    if ("object".equals(type) && v instanceof JsonObject o) {
      return within(o.size(), p.getValue("minProperties"), p.getValue("maxProperties")) && !p.containsKey("enum");
    }
    if ("boolean".equals(type) && v instanceof Boolean) {
      return p.fieldNames().stream().allMatch(k -> Set.of("type", "description", "default", "title").contains(k)
          || INTERNAL.matcher(k).matches());
    }
    if ("integer".equals(type) && (v instanceof Integer || v instanceof Long)) {
      return within(((Number) v).longValue(), p.getValue("minimum"), p.getValue("maximum")) && !p.containsKey("enum");
    }
    if ("string".equals(type) && v instanceof String s) {
      JsonArray e = p.getJsonArray("enum");
      return within(s.codePointCount(0, s.length()), p.getValue("minLength"), p.getValue("maxLength"))
          && (e == null || e.contains(s));
    }
    return false;
  }

  /** {@code n} within integer bounds given as JSON numbers; a bound of another kind: not certain. */
  private static boolean within(long n, Object min, Object max) {
    return bound(min, m -> n >= m) && bound(max, m -> n <= m);
  }

  private static boolean bound(Object b, java.util.function.LongPredicate ok) {
    if (b == null) {
      return true;
    }
    return (b instanceof Integer || b instanceof Long) && ok.test(((Number) b).longValue());
  }

  /** The keys of a schema object that are not Vert.x's bookkeeping. */
  private static Set<String> keywords(JsonObject o) {
    Set<String> out = new java.util.HashSet<>();
    for (String k : o.fieldNames()) {
      if (!INTERNAL.matcher(k).matches()) {
        out.add(k);
      }
    }
    return out;
  }

  private static List<String> strings(Object array) {
    if (!(array instanceof JsonArray a)) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Object s : a) {
      if (!(s instanceof String str)) {
        return null;
      }
      out.add(str);
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "PlainObjectSchema" + Objects.toString(properties.keySet());
  }
}
