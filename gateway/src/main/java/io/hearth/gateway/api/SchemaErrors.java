package io.hearth.gateway.api;

import io.hearth.gateway.domain.FieldError;
import io.vertx.json.schema.OutputUnit;
import java.util.ArrayList;
import java.util.HashSet;
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
 * A {@code oneOf}/{@code anyOf} failure is kept as context ("needs one of: set, action"). Each
 * message is put in the API's words by {@link SchemaMessages}.
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
    Set<OutputUnit> merged = new HashSet<>();
    for (OutputUnit unit : units) {
      if (!merged.contains(unit) && keep(unit, units)) {
        FieldError alternatives = alternatives(unit, units, merged);
        errors.add(alternatives != null ? alternatives : readable(unit));
      }
    }
    if (errors.isEmpty()) {
      units.stream().filter(u -> u.getError() != null).findFirst().ifPresentOrElse(
          u -> errors.add(readable(u)),
          () -> errors.add(new FieldError("", "does not match the schema")));
    }
    return new ArrayList<>(errors);
  }

  /** The violation in the API's words ({@link SchemaMessages}); a missing property is named as the property. */
  private static FieldError readable(OutputUnit unit) {
    String keyword = lastSegment(unit.getKeywordLocation());
    String property = property(unit.getInstanceLocation());
    if (keyword.equals("required")) {
      String missing = SchemaMessages.missingProperty(unit.getError());
      if (missing != null) {
        property = property.isEmpty() ? missing : property + "." + missing;
      }
    }
    return new FieldError(property, SchemaMessages.readable(keyword, property, unit.getError()));
  }

  /**
   * A {@code oneOf}/{@code anyOf} that no alternative matched, whose alternatives each require a
   * property ({@code set} or {@code action}): one entry naming them, instead of one "is required"
   * per alternative (those are marked {@code merged}). Null for any other failure.
   */
  private static FieldError alternatives(OutputUnit unit, List<OutputUnit> all, Set<OutputUnit> merged) {
    String keyword = lastSegment(unit.getKeywordLocation());
    if (!(keyword.equals("oneOf") || keyword.equals("anyOf")) || unit.getError() == null
        || !(unit.getError().contains("(0 matches)") || keyword.equals("anyOf"))) {
      return null;
    }
    List<String> names = new ArrayList<>();
    for (OutputUnit other : all) {
      if (other.getKeywordLocation() != null && other.getKeywordLocation().startsWith(unit.getKeywordLocation() + "/")
          && lastSegment(other.getKeywordLocation()).equals("required")) {
        String missing = SchemaMessages.missingProperty(other.getError());
        if (missing != null) {
          names.add(missing);
          merged.add(other);
        }
      }
    }
    return names.isEmpty() ? null
        : new FieldError(property(unit.getInstanceLocation()), "needs one of: " + String.join(", ", names));
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
