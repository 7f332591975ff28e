package io.hearth.sim.behavior;

/**
 * What a device answers to a command: success, or failure with a device-style error text.
 *
 * @param ok    whether the command was applied
 * @param error error text when not ok, otherwise null
 */
public record Outcome(boolean ok, String error) {

  private static final Outcome OK = new Outcome(true, null);

  public static Outcome success() {
    return OK;
  }

  public static Outcome fail(String error) {
    return new Outcome(false, error == null ? "error" : error);
  }
}
