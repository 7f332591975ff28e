package io.hearth.device;

import java.util.Locale;

/**
 * What powers a device: the {@code powerSource} key of a device entry (docs/devices.md). It decides
 * how long the device may stay silent before it counts as offline (Zigbee2MQTT's "active" and
 * "passive" devices), and whether a {@code deliverWhen: nextWake} command waits for its next message.
 */
public enum PowerSource {
  /** Always listening: a mains device (Zigbee router, plug, bulb). */
  MAINS,
  /** Asleep most of the time: a battery device (Zigbee end device, sensor, remote). */
  BATTERY;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The power source of this wire name, or null when it is none of them. */
  public static PowerSource fromWire(String s) {
    for (PowerSource p : values()) {
      if (p.wireName().equals(s)) {
        return p;
      }
    }
    return null;
  }
}
