package io.hearth.sim.mqtt;

import java.util.Locale;

/** Value conversions of the third-party conventions (ON/OFF, 0-254 brightness, mired). */
final class Conversions {

  private Conversions() {
  }

  static String onOff(Object power) {
    return Boolean.TRUE.equals(power) ? "ON" : "OFF";
  }

  /**
   * Parses ON/OFF/TOGGLE (and Tasmota's 1/0/2, true/false) against the current value.
   *
   * @throws IllegalArgumentException for anything else
   */
  static boolean parsePower(Object wire, boolean current) {
    String s = String.valueOf(wire).trim().toUpperCase(Locale.ROOT);
    switch (s) {
      case "ON": case "1": case "TRUE":
        return true;
      case "OFF": case "0": case "FALSE":
        return false;
      case "TOGGLE": case "2":
        return !current;
      default:
        throw new IllegalArgumentException("state: expected ON, OFF or TOGGLE");
    }
  }

  /** Brightness percent 0-100 to Zigbee level 0-254. */
  static int pctToLevel(int pct) {
    return (int) Math.round(pct * 254 / 100.0);
  }

  /** Zigbee level 0-254 to percent 0-100. */
  static int levelToPct(int level) {
    return (int) Math.round(level * 100 / 254.0);
  }

  static int kelvinToMired(int kelvin) {
    return (int) Math.round(1_000_000.0 / kelvin);
  }

  static int miredToKelvin(int mired) {
    return (int) Math.round(1_000_000.0 / mired);
  }

  /**
   * An integral number from a JSON value or a Tasmota text payload.
   *
   * @throws IllegalArgumentException when it is not one
   */
  static int integer(String what, Object wire) {
    if (wire instanceof Number && ((Number) wire).doubleValue() == Math.rint(((Number) wire).doubleValue())) {
      return ((Number) wire).intValue();
    }
    if (wire instanceof String) {
      try {
        return Integer.parseInt(((String) wire).trim());
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw new IllegalArgumentException(what + ": expected an integer");
  }
}
