package io.hearth.adapter;

/**
 * Where an adapter hands what devices say. Implemented by the gateway core; every call is made on
 * the adapter's Vert.x context and must not block.
 */
public interface DeviceSink {

  /** A device reported (part of) its state. Values are decoded but not yet checked against the profile. */
  void stateReported(StateReport report);

  /**
   * A device's availability changed.
   *
   * @param reason {@code lwt}, {@code timeout}, {@code observe_lost}, {@code restart}, {@code bridge_offline}
   *     (the Zigbee2MQTT bridge the device is behind went offline), or null when it came online
   */
  void availabilityChanged(String deviceId, boolean online, String reason);

  /** A device answered a command. */
  void commandReplied(CommandReply reply);

  /** A device emitted an event. */
  void eventEmitted(DeviceEvent event);

  /** The adapter's transport went up or down (e.g. broker lost, reconnected). */
  void transportChanged(String protocol, boolean up);

  /**
   * An unregistered device announced itself (or was announced by its bridge). The default ignores
   * it: discovery is optional for a sink.
   */
  default void deviceDiscovered(Discovered device) {}

  /** A device announced earlier is gone from its source (removed from the bridge, config cleared). */
  default void discoveryWithdrawn(String source, String key) {}
}
