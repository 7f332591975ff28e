package io.hearth.gateway.api;

/**
 * Limits applied to every app API request before validation, so that hostile or broken input costs
 * a bounded amount of memory and stack.
 *
 * @param maxBodyBytes    largest accepted request body; a bigger one answers 413 PAYLOAD_TOO_LARGE
 * @param maxJsonDepth    deepest accepted nesting of JSON arrays/objects; deeper answers 400
 * @param maxStringLength longest accepted JSON string or field name, in chars; longer answers 400
 * @param maxNumberLength longest accepted JSON number literal, in chars; longer answers 400
 */
public record ApiLimits(int maxBodyBytes, int maxJsonDepth, int maxStringLength, int maxNumberLength) {

  /** 64 KiB body, depth 32, 16 KiB strings, 100-char numbers. */
  public static final ApiLimits DEFAULTS = new ApiLimits(64 * 1024, 32, 16 * 1024, 100);

  public ApiLimits {
    positive(maxBodyBytes, "maxBodyBytes");
    positive(maxJsonDepth, "maxJsonDepth");
    positive(maxStringLength, "maxStringLength");
    positive(maxNumberLength, "maxNumberLength");
  }

  /** The defaults ({@link #DEFAULTS}). */
  public static ApiLimits defaults() {
    return DEFAULTS;
  }

  private static void positive(int value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, was " + value);
    }
  }
}
