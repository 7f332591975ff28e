package io.hearth.device;

import java.util.Locale;

/** The value types a profile property, action input or event field can have. */
public enum PropertyType {
  BOOL, INT, FLOAT, ENUM, STRING;

  /** Parses the lower-case name used in profile files ({@code bool}, {@code int}, ...). */
  public static PropertyType parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("unknown type '" + name + "' (bool, int, float, enum, string)");
    }
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
