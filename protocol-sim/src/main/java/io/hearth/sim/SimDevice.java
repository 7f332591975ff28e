package io.hearth.sim;

import java.util.List;
import java.util.Map;

/**
 * One running simulated device, as tests and benchmarks drive it. Methods may be called from any
 * thread; called off the simulator's threads they return once the device has done it (or throw
 * {@link IllegalStateException} after a few seconds).
 */
public interface SimDevice {

  String id();

  String profile();

  /** The device's current state (a snapshot copy). */
  Map<String, Object> state();

  /**
   * A local change (someone pressed the switch, a door opened): validated like a command but
   * read-only properties may change too; publishes a state report.
   *
   * @throws IllegalArgumentException when a property is unknown or a value is not acceptable
   */
  void setState(Map<String, Object> changes);

  /** Publishes a device event, e.g. {@code overheat} with {@code {"temp":80.5}}. */
  void emitEvent(String name, Map<String, Object> data);

  SimFaults faults();

  /** Replaces the device's faults from now on. */
  void setFaults(SimFaults faults);

  /**
   * Goes offline. With will: the connection is cut without a normal goodbye so the broker
   * publishes the retained {@code offline} will. Without: publishes {@code offline} itself, then
   * disconnects cleanly. The device stays offline until {@link #goOnline()}.
   */
  void goOffline(boolean withWill);

  /** Reconnects, publishes {@code online} and its full state. */
  void goOnline();

  /** Whether the device currently has a connection to the broker. */
  boolean online();

  /** Commands (set and action messages) received so far, duplicates included. */
  int commandsReceived();

  /** Command ids received so far in arrival order, duplicates included. */
  List<String> receivedCommandIds();

  /**
   * Publishes raw bytes as the device (not retained), e.g. garbage for robustness tests. CoAP
   * devices: see {@link #publishRaw(String, byte[], int)} (content-format 50).
   *
   * @param subtopic null or empty for the device's state topic; otherwise a topic below the
   *                 device's own prefix: {@code hearth/{id}/<subtopic>},
   *                 {@code zigbee2mqtt/{topic}/<subtopic>}, and for tasmota {@code tele/STATE}
   *                 becomes {@code tele/{topic}/STATE}
   */
  void publishRaw(String subtopic, byte[] payload);

  /**
   * Publishes raw bytes claiming a content-format. CoAP devices: the next notification of
   * {@code state} (null or empty subtopic) or {@code events} to each observer carries
   * {@code payload} with this content-format (e.g. 50 JSON, 60 CBOR). MQTT devices ignore the
   * content-format and publish as {@link #publishRaw(String, byte[])}.
   */
  default void publishRaw(String subtopic, byte[] payload, int contentFormat) {
    publishRaw(subtopic, payload);
  }
}
