package io.hearth.gateway.automation;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Objects;

/** How rules compare property values: numbers by value (1 = 1.0), a list means "any of these". */
final class Values {
  private Values() {
  }

  /** Whether {@code actual} is {@code expected}, or one of them when {@code expected} is a list. */
  static boolean matches(Object expected, Object actual) {
    if (expected instanceof Collection<?> any) {
      return any.stream().anyMatch(e -> same(e, actual));
    }
    return same(expected, actual);
  }

  static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
    }
    return Objects.equals(a, b);
  }

  /** Whether a number is in {@code above < v < below}; false for a non-number. */
  static boolean inRange(Object value, Double above, Double below) {
    if (!(value instanceof Number n)) {
      return false;
    }
    double v = n.doubleValue();
    return (above == null || v > above) && (below == null || v < below);
  }
}
