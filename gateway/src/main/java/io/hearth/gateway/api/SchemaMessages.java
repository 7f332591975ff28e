package io.hearth.gateway.api;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readable messages for JSON Schema violations (docs/api.md, "Errors"): what the value must be, in
 * the API's words ({@code must be at least 1, not 0}), instead of the validator's text ({@code 0 is
 * less than 1}). Chosen by the failing keyword; the values the validator's text carries (the bound,
 * the expected type, the allowed values) are taken from it, and any text it does not recognise is
 * kept as is.
 */
final class SchemaMessages {
  private static final Pattern TYPE = Pattern.compile("Instance type (\\w+) is invalid\\. Expected (\\w+)");
  private static final Pattern BOUND = Pattern.compile("(\\S+) is (?:less|greater) than (?:or equal to )?(\\S+)");
  private static final Pattern LENGTH = Pattern.compile("\\((\\d+) [<>] (\\d+)\\)");
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
  private static final Pattern MATCHES = Pattern.compile("\\((\\d+) matches\\)");
  /** What a pattern-checked property looks like, by its name (docs/openapi.yaml). */
  private static final Map<String, String> FORMS = Map.of(
      "id", "1–64 lower-case letters, digits, '_' or '-' (e.g. living-lamp)",
      "bridge", "a bridge id: 1–64 lower-case letters, digits, '_' or '-'",
      "device", "a device id: 1–64 lower-case letters, digits, '_' or '-'",
      "profile", "a profile id such as light.dimmable",
      "uri", "a CoAP URI, coap://host:port or coaps://host:port",
      "state", "a resource path starting with /",
      "topic", "a topic without MQTT wildcards (# +) and without a leading or trailing / or space");

  private SchemaMessages() {}

  /**
   * @param keyword  the failing keyword ({@code type}, {@code minimum}, …)
   * @param property the property it concerns ({@code set.brightness}; "" for the body)
   * @param raw      the validator's text
   */
  static String readable(String keyword, String property, String raw) {
    String text = raw == null ? "" : raw;
    switch (keyword) {
      case "type" -> {
        Matcher m = TYPE.matcher(text);
        if (m.find()) {
          return "must be " + article(m.group(2)) + ", not " + article(m.group(1));
        }
      }
      case "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum" -> {
        Matcher m = BOUND.matcher(text);
        if (m.find()) {
          String bound = switch (keyword) {
            case "minimum" -> "at least ";
            case "exclusiveMinimum" -> "greater than ";
            case "maximum" -> "at most ";
            default -> "less than ";
          };
          return "must be " + bound + m.group(2) + ", not " + m.group(1);
        }
      }
      case "minLength", "maxLength" -> {
        Matcher m = LENGTH.matcher(text);
        if (m.find()) {
          return "must be " + (keyword.equals("minLength") ? "at least " : "at most ") + m.group(2)
              + " characters long, not " + m.group(1);
        }
      }
      case "required" -> {
        return "is required";
      }
      case "additionalProperties", "unevaluatedProperties" -> {
        return "is not a known property here";
      }
      case "enum" -> {
        int i = text.indexOf("any of ");
        if (i >= 0) {
          return "must be one of " + text.substring(i + 7).replace("\"", "").replace("[", "").replace("]", "");
        }
      }
      case "const" -> {
        return "must be " + text.replaceFirst("^Instance does not match ", "");
      }
      case "pattern" -> {
        String last = property.substring(property.lastIndexOf('.') + 1);
        return "must be " + FORMS.getOrDefault(last, "of the documented form (docs/api.md)");
      }
      case "dependentRequired" -> {
        Matcher m = QUOTED.matcher(text);
        if (m.find()) {
          String has = m.group(1);
          if (m.find()) {
            return "'" + has + "' needs '" + m.group(1) + "'";
          }
        }
      }
      case "oneOf" -> {
        Matcher m = MATCHES.matcher(text);
        if (m.find() && !m.group(1).equals("0")) {
          return "must hold exactly one of its alternatives (a command: set or action), not " + m.group(1);
        }
      }
      default -> {
        return text;
      }
    }
    return text;
  }

  /** The name of the missing property of a {@code required} failure, or null. */
  static String missingProperty(String raw) {
    Matcher m = QUOTED.matcher(raw == null ? "" : raw);
    return m.find() ? m.group(1) : null;
  }

  private static String article(String type) {
    return switch (type) {
      case "integer", "object", "array" -> "an " + type;
      case "null" -> "null";
      default -> "a " + type;
    };
  }
}
