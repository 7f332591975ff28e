package io.hearth.gateway.api;

import io.hearth.gateway.domain.FieldError;
import io.vertx.json.schema.OutputUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a JSON Schema validation result (vertx-json-schema "basic" output: a flat list of units)
 * into one {@link FieldError} per violation.
 *
 * <p>The validator also reports every enclosing keyword of a violation ({@code properties},
 * {@code $ref}, {@code allOf}, {@code if}/{@code then}, …) and an {@code additionalProperties}
 * echo for each failing declared property; those are dropped so that one mistake gives one entry.
 * A {@code oneOf}/{@code anyOf} failure is kept as context (it says "0 matches" or "2 matches").
 */
final class SchemaErrors {
  /** Keywords whose failure only says that something inside them failed. */
  private static final Set<String> WRAPPERS = Set.of("properties", "$ref", "$dynamicRef", "allOf",
      "if", "then", "else", "items", "prefixItems", "patternProperties", "dependentSchemas",
      "propertyNames", "contains", "unevaluatedProperties", "unevaluatedItems");

  private SchemaErrors() {
  }

  static List<FieldError> of(OutputUnit result) {
    List<OutputUnit> units = new ArrayList<>();
    if (result != null) {
      flatten(result, units);
    }
    Set<FieldError> errors = new LinkedHashSet<>();
    for (OutputUnit unit : units) {
      if (keep(unit, units)) {
        errors.add(new FieldError(property(unit.getInstanceLocation()), unit.getError()));
      }
    }
    if (errors.isEmpty()) {
      units.stream().filter(u -> u.getError() != null).findFirst().ifPresentOrElse(
          u -> errors.add(new FieldError(property(u.getInstanceLocation()), u.getError())),
          () -> errors.add(new FieldError("", "does not match the schema")));
    }
    return new ArrayList<>(errors);
  }

  private static void flatten(OutputUnit unit, List<OutputUnit> out) {
    List<OutputUnit> children = unit.getErrors();
    if (children != null && !children.isEmpty()) {
      children.forEach(child -> flatten(child, out));
    } else if (unit.getError() != null) {
      out.add(unit);
    }
  }

  private static boolean keep(OutputUnit unit, List<OutputUnit> all) {
    String keyword = lastSegment(unit.getKeywordLocation());
    if (WRAPPERS.contains(keyword)) {
      return false;
    }
    if (keyword.equals("additionalProperties")) {
      // an echo of another failure at the same place, or a genuinely unknown property
      return all.stream().noneMatch(other -> other != unit
          && !lastSegment(other.getKeywordLocation()).equals("additionalProperties")
          && !WRAPPERS.contains(lastSegment(other.getKeywordLocation()))
          && same(other.getInstanceLocation(), unit.getInstanceLocation()));
    }
    return true;
  }

  private static boolean same(String a, String b) {
    return property(a).equals(property(b));
  }

  private static String lastSegment(String keywordLocation) {
    if (keywordLocation == null) {
      return "";
    }
    int slash = keywordLocation.lastIndexOf('/');
    return slash < 0 ? keywordLocation : keywordLocation.substring(slash + 1);
  }

  /** {@code /set/brightness} or {@code #/set/brightness} → {@code set.brightness}; the root → "". */
  static String property(String instanceLocation) {
    if (instanceLocation == null) {
      return "";
    }
    String pointer = instanceLocation.startsWith("#") ? instanceLocation.substring(1) : instanceLocation;
    StringBuilder property = new StringBuilder();
    for (String segment : pointer.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      if (property.length() > 0) {
        property.append('.');
      }
      property.append(segment.replace("~1", "/").replace("~0", "~"));
    }
    return property.toString();
  }
}
