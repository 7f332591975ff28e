package io.hearth.adapter.mqtt;

/**
 * Colour temperature between the profile's Kelvin and the mired (micro reciprocal degrees) that
 * Tasmota ({@code CT}, 153–500: {@code CT_MIN}/{@code CT_MAX} in xdrv_04_light.ino) and
 * Zigbee2MQTT ({@code color_temp}, 150–500 unless a device says otherwise: {@code withColorTemp}
 * in zigbee-herdsman-converters' src/lib/exposes.ts) speak. A reported value is clamped into
 * {@link #KELVIN_MIN}–{@link #KELVIN_MAX}, the range of config/profiles/light.dimmable.yaml (153
 * mired is 6536 K, shown as 6500 K), so a report is never dropped as out of range.
 */
final class ColorTemp {
  /** The light.dimmable profile's range (what real bulbs report: 500 mired = 2000 K). */
  static final long KELVIN_MIN = 2000;
  static final long KELVIN_MAX = 6500;

  private ColorTemp() {}

  /**
   * Colour temperature in Kelvin to mired: {@code round(1,000,000 / K)}.
   *
   * @throws IllegalArgumentException if not positive
   */
  static long kelvinToMired(double kelvin) {
    if (!(kelvin > 0) || Double.isInfinite(kelvin)) {
      throw new IllegalArgumentException("color_temp must be a positive number");
    }
    return Math.max(1, Math.round(1_000_000.0 / kelvin));
  }

  /**
   * Mired back to Kelvin. Mired is coarser than Kelvin (one mired is about 42 K at 6500 K), so
   * many Kelvin values share a mired. If the device reports the mired of the Kelvin value the
   * gateway last commanded, that Kelvin value is returned, so a commanded value is confirmed
   * exactly; otherwise {@code round(1,000,000 / mired)}, the nearest Kelvin, clamped into
   * {@link #KELVIN_MIN}–{@link #KELVIN_MAX}.
   */
  static long miredToKelvin(double mired, Object commandedKelvin) {
    if (commandedKelvin instanceof Number k && k.doubleValue() > 0
        && kelvinToMired(k.doubleValue()) == Math.round(mired)) {
      return Math.round(k.doubleValue());
    }
    return Math.max(KELVIN_MIN, Math.min(KELVIN_MAX, Math.round(1_000_000.0 / mired)));
  }
}
