package io.hearth.sim.tasmota;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The light of a simulated Tasmota CT bulb (two PWM channels, cold and warm white: light subtype
 * {@code LST_COLDWARM} = 2, linked RGB/CT): the values the firmware keeps and the JSON it answers
 * with. Mirrors {@code tasmota/tasmota_xdrv_driver/xdrv_04_light.ino} ({@code LightStateClass},
 * {@code ResponseLightState}, {@code CmndDimmer}, {@code CmndColorTemperature}).
 */
public final class TasmotaLight {

  /** {@code CT_MIN} / {@code CT_MAX}: 153 mired = 6500 K (cold) .. 500 mired = 2000 K (warm). */
  public static final int CT_MIN = 153;
  public static final int CT_MAX = 500;
  /** {@code LST_COLDWARM}: reported as {@code lt_st} in discovery. */
  public static final int SUBTYPE_COLDWARM = 2;

  private TasmotaLight() {
  }

  /**
   * Tasmota's {@code changeUIntScale} ({@code tasmota/tasmota_support/support.ino}): maps
   * {@code num} from one range to another, clamping to the source range and rounding to nearest.
   */
  public static int changeUIntScale(int num, int fromMin, int fromMax, int toMin, int toMax) {
    if (fromMin >= fromMax) {
      return Math.min(toMin, toMax);
    }
    int n = Math.max(fromMin, Math.min(fromMax, num));
    boolean inverted = toMin > toMax;
    int lo = inverted ? toMax : toMin;
    int range = Math.abs(toMax - toMin);
    long from = fromMax - fromMin;
    int scaled = (int) (((long) (n - fromMin) * range * 2 + from) / (2 * from));
    return inverted ? toMin - scaled : lo + scaled;
  }

  /** {@code LightStateClass::DimmerToBri}: 0..100 to 0..255. */
  static int bri(int dimmer) {
    return changeUIntScale(dimmer, 0, 100, 0, 255);
  }

  /** The cold and warm channel values 0..255 ({@code setCT}: WW scales with CT, WC = 255 - WW; times bri). */
  static int[] channels(int dimmer, int ct) {
    int ww = changeUIntScale(ct, CT_MIN, CT_MAX, 0, 255);
    int wc = 255 - ww;
    int b = bri(dimmer);
    return new int[] {changeUIntScale(wc, 0, 255, 0, b), changeUIntScale(ww, 0, 255, 0, b)};
  }

  /** {@code LightGetColor}: channel values as upper-case hex (SetOption17 0), e.g. {@code FF00}. */
  static String color(int dimmer, int ct) {
    int[] c = channels(dimmer, ct);
    return String.format("%02X%02X", c[0], c[1]);
  }

  /**
   * {@code ResponseLightState}: {@code {"POWER":"ON","Dimmer":100,"Color":"FF00","White":100,"CT":153,
   * "Channel":[100,0]}}; with {@code append} (the STATE telemetry) also Fade, Speed and LedTable.
   *
   * @param powerKey {@code POWER} or {@code POWER1} (SetOption26, {@code GetPowerDevice})
   */
  static Map<String, Object> state(String powerKey, boolean power, int dimmer, int ct, boolean append) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(powerKey, power ? "ON" : "OFF");
    m.put("Dimmer", dimmer);
    m.put("Color", color(dimmer, ct));
    m.put("White", dimmer); // getDimmer(2): linked CT, briCT = bri
    m.put("CT", ct);
    List<Integer> channel = new ArrayList<>();
    for (int raw : channels(dimmer, ct)) {
      int pct = changeUIntScale(raw, 0, 255, 0, 100);
      channel.add(pct == 0 && raw > 0 ? 1 : pct); // "if non null, force to be at least 1"
    }
    m.put("Channel", channel);
    if (append) {
      m.put("Fade", "OFF");
      m.put("Speed", 1);
      m.put("LedTable", "ON");
    }
    return m;
  }

  /** Kelvin (the hearth profile's unit) to Tasmota's CT, clamped as {@code LightSetCT} does. */
  static int ctFromKelvin(int kelvin) {
    return Math.max(CT_MIN, Math.min(CT_MAX, (int) Math.round(1_000_000.0 / kelvin)));
  }

  /** Tasmota's CT to kelvin, clamped to the simulated behaviour's range (2000..6500 K, the light profile). */
  static int kelvinFromCt(int ct) {
    return Math.max(2000, Math.min(6500, (int) Math.round(1_000_000.0 / ct)));
  }
}
