package io.hearth.sim.behavior;

/**
 * What a device answers to a command: success, or failure with a device-style error text.
 *
 * @param ok          whether the command was applied
 * @param error       error text when not ok, otherwise null
 * @param deviceFault when not ok: true if the request was acceptable but the device could not carry
 *                    it out (a jammed bolt), false if the request itself was invalid
 */
public record Outcome(boolean ok, String error, boolean deviceFault) {

  private static final Outcome OK = new Outcome(true, null, false);

  public Outcome(boolean ok, String error) {
    this(ok, error, false);
  }

  public static Outcome success() {
    return OK;
  }

  /** The request was not acceptable (validation). */
  public static Outcome fail(String error) {
    return new Outcome(false, error == null ? "error" : error, false);
  }

  /** The request was acceptable but the device failed to carry it out. */
  public static Outcome deviceFault(String error) {
    return new Outcome(false, error == null ? "error" : error, true);
  }
}
