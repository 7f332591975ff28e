package io.hearth.gateway.state;

import io.hearth.device.DeviceDefinition;
import io.hearth.device.PowerSource;
import io.hearth.gateway.config.GatewayConfig;
import java.util.Objects;

/**
 * Which devices the gateway times out by their silence, and after how long
 * (docs/devices.md#availability-and-sleepy-devices). Zigbee2MQTT devices are timed out by default
 * (Zigbee2MQTT's own availability feature is off by default, so nothing else would notice a dead
 * Zigbee device), as mains devices unless they declare {@code powerSource: battery}; any other
 * device is timed out once it declares a {@code powerSource} or an {@code availabilityTimeoutMin}.
 * The defaults are Zigbee2MQTT's: 10 min for mains ("active") devices, 1500 min (25 h) for battery
 * ("passive") ones.
 *
 * @param config the {@code availability.*} keys
 */
public record AvailabilityPolicy(GatewayConfig.Availability config) {
  private static final long MINUTE_MS = 60_000L;

  public AvailabilityPolicy {
    Objects.requireNonNull(config, "config");
  }

  /**
   * The device's power source: declared, else what its binding assumes (mains for a Zigbee2MQTT
   * device, {@code Binding.assumedPowerSource}), else null (unknown).
   */
  public static PowerSource powerSource(DeviceDefinition d) {
    return d.powerSource() != null ? d.powerSource() : d.binding().assumedPowerSource();
  }

  /** True for a device that sleeps: {@code deliverWhen: nextWake} commands wait for its next message. */
  public static boolean sleepy(DeviceDefinition d) {
    return powerSource(d) == PowerSource.BATTERY;
  }

  /** How long the device may stay silent, in minutes; 0 when the gateway does not time it out. */
  public int timeoutMin(DeviceDefinition d) {
    if (d.availabilityTimeoutMin() != null) {
      return d.availabilityTimeoutMin();
    }
    PowerSource p = powerSource(d);
    if (p == null) {
      return 0;
    }
    return p == PowerSource.BATTERY ? config.batteryTimeoutMin() : config.mainsTimeoutMin();
  }

  /** {@link #timeoutMin} in milliseconds. */
  public long timeoutMs(DeviceDefinition d) {
    return timeoutMin(d) * MINUTE_MS;
  }
}
