package io.hearth.sim.behavior;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One property (or action input field) as a simulated device understands it. Deliberately the
 * simulator's own tiny model, not the gateway's profile classes: a validation bug in the gateway
 * must not be mirrored here.
 *
 * @param name     property name on the wire
 * @param type     value type
 * @param min      inclusive lower bound for numbers, or null
 * @param max      inclusive upper bound for numbers, or null
 * @param step     allowed increment from {@code min} for numbers, or null
 * @param values   allowed values of an enum, empty otherwise
 * @param writable whether a command may change it
 */
public record Prop(String name, Type type, Double min, Double max, Double step, List<String> values,
    boolean writable) {

  /** Value types a simulated device knows. */
  public enum Type { BOOL, INT, FLOAT, ENUM }

  public Prop {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    values = values == null ? List.of() : List.copyOf(values);
  }

  public static Prop bool(String name, boolean writable) {
    return new Prop(name, Type.BOOL, null, null, null, null, writable);
  }

  public static Prop integer(String name, int min, int max, boolean writable) {
    return new Prop(name, Type.INT, (double) min, (double) max, null, null, writable);
  }

  public static Prop number(String name, Double min, Double max, Double step, boolean writable) {
    return new Prop(name, Type.FLOAT, min, max, step, null, writable);
  }

  public static Prop oneOf(String name, List<String> values, boolean writable) {
    return new Prop(name, Type.ENUM, null, null, null, values, writable);
  }

  /**
   * Checks a received value and converts it to the device's own representation.
   *
   * @return the value as stored (Boolean, Integer, Double or String)
   * @throws IllegalArgumentException with a device-style error text when the value is not acceptable
   */
  public Object coerce(Object value) {
    if (value == null) {
      throw new IllegalArgumentException(name + ": must not be null");
    }
    switch (type) {
      case BOOL:
        if (value instanceof Boolean) {
          return value;
        }
        throw new IllegalArgumentException(name + ": expected a boolean");
      case ENUM:
        if (value instanceof String && values.contains(value)) {
          return value;
        }
        throw new IllegalArgumentException(name + ": expected one of " + values);
      case INT:
        return checkRange(toInteger(value));
      case FLOAT:
        if (!(value instanceof Number)) {
          throw new IllegalArgumentException(name + ": expected a number");
        }
        double d = ((Number) value).doubleValue();
        if (!Double.isFinite(d)) {
          throw new IllegalArgumentException(name + ": expected a finite number");
        }
        checkRange(d);
        checkStep(d);
        return d;
      default:
        throw new IllegalStateException("unknown type " + type);
    }
  }

  private int toInteger(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      long l = ((Number) value).longValue();
      if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(name + ": out of range");
      }
      return (int) l;
    }
    if (value instanceof Number) {
      double d = ((Number) value).doubleValue();
      if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
        return (int) d;
      }
    }
    throw new IllegalArgumentException(name + ": expected an integer");
  }

  private <T extends Number> T checkRange(T value) {
    double d = value.doubleValue();
    if (min != null && d < min) {
      throw new IllegalArgumentException(name + ": must be >= " + format(min));
    }
    if (max != null && d > max) {
      throw new IllegalArgumentException(name + ": must be <= " + format(max));
    }
    return value;
  }

  private void checkStep(double d) {
    if (step == null) {
      return;
    }
    BigDecimal offset = BigDecimal.valueOf(d).subtract(BigDecimal.valueOf(min == null ? 0 : min));
    if (offset.remainder(BigDecimal.valueOf(step)).signum() != 0) {
      throw new IllegalArgumentException(name + ": must be a multiple of " + format(step));
    }
  }

  private static String format(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
