package io.hearth.device;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One typed value of a thing model: a property, an action input field or an event data field.
 * Values travel as plain Java objects: {@link Boolean}, {@link Long} (int), {@link Double} (float)
 * and {@link String} (enum, string).
 *
 * @param name      property name
 * @param type      value type
 * @param writable  {@code mode: rw}
 * @param min       inclusive lower bound (numbers), or null
 * @param max       inclusive upper bound (numbers), or null
 * @param step      granularity counted from {@code min} (or 0), or null
 * @param unit      display unit, or null
 * @param values    allowed values of an enum, empty otherwise
 * @param maxLength longest allowed string, or null
 */
public record PropertySpec(
    String name,
    PropertyType type,
    boolean writable,
    Double min,
    Double max,
    Double step,
    String unit,
    List<String> values,
    Integer maxLength) {

  public PropertySpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    values = values == null ? List.of() : List.copyOf(values);
    if (type == PropertyType.ENUM && values.isEmpty()) {
      throw new IllegalArgumentException("enum property '" + name + "' needs values");
    }
    if (min != null && max != null && min > max) {
      throw new IllegalArgumentException("property '" + name + "' has min > max");
    }
    if (step != null && step <= 0) {
      throw new IllegalArgumentException("property '" + name + "' has step <= 0");
    }
  }

  /**
   * Checks a value (as decoded from JSON: Boolean, any Number, String) and returns it normalised to
   * this property's Java type.
   *
   * @return the normalised value
   * @throws InvalidValueException with a message fit for an API client when the value does not fit
   */
  public Object normalize(Object value) {
    if (value == null) {
      throw new InvalidValueException("must not be null");
    }
    switch (type) {
      case BOOL:
        if (value instanceof Boolean) {
          return value;
        }
        throw new InvalidValueException("must be a boolean");
      case INT: {
        if (!(value instanceof Number)) {
          throw new InvalidValueException("must be an integer");
        }
        Number n = (Number) value;
        long l;
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
          l = n.longValue();
        } else {
          double d = n.doubleValue();
          if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.rint(d) || Math.abs(d) > 9.007199254740992E15) {
            throw new InvalidValueException("must be an integer");
          }
          l = (long) d;
        }
        checkRange(l);
        return l;
      }
      case FLOAT: {
        if (!(value instanceof Number)) {
          throw new InvalidValueException("must be a number");
        }
        double d = ((Number) value).doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw new InvalidValueException("must be a finite number");
        }
        checkRange(d);
        return d;
      }
      case ENUM:
        if (value instanceof String && values.contains(value)) {
          return value;
        }
        throw new InvalidValueException("must be one of " + values);
      case STRING:
        if (!(value instanceof String)) {
          throw new InvalidValueException("must be a string");
        }
        if (maxLength != null && ((String) value).length() > maxLength) {
          throw new InvalidValueException("must be at most " + maxLength + " characters");
        }
        return value;
      default:
        throw new IllegalStateException("unhandled type " + type);
    }
  }

  /** Like {@link #normalize(Object)}, but empty instead of an exception. */
  public Optional<Object> tryNormalize(Object value) {
    try {
      return Optional.of(normalize(value));
    } catch (InvalidValueException e) {
      return Optional.empty();
    }
  }

  /** True for types whose history is numeric (int, float, bool). */
  public boolean hasNumericHistory() {
    return type == PropertyType.INT || type == PropertyType.FLOAT || type == PropertyType.BOOL;
  }

  private void checkRange(double d) {
    if (min != null && d < min) {
      throw new InvalidValueException("must be ≥ " + format(min));
    }
    if (max != null && d > max) {
      throw new InvalidValueException("must be ≤ " + format(max));
    }
    if (step != null) {
      BigDecimal base = BigDecimal.valueOf(min == null ? 0 : min);
      BigDecimal offset = BigDecimal.valueOf(d).subtract(base);
      if (offset.remainder(BigDecimal.valueOf(step)).compareTo(BigDecimal.ZERO) != 0) {
        throw new InvalidValueException("must be a multiple of " + format(step)
            + (min == null ? "" : " from " + format(min)));
      }
    }
  }

  private static String format(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /** A value that does not fit its property; the message is fit to show an API client. */
  public static final class InvalidValueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidValueException(String message) {
      super(message, null, false, false);
    }
  }
}
