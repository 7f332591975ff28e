package io.hearth.adapter;

import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.vertx.core.Future;

/**
 * The live connection of one transport (MQTT, CoAP) to its devices, made by
 * {@link Transport#newAdapter}. The gateway core talks to devices only through this interface; it
 * never sees a Paho or Californium class.
 *
 * <p>Threading: every method is called on the Vert.x context the adapter was created with, and
 * every {@link DeviceSink} call the adapter makes happens on that same context. Work coming from
 * the protocol library's own threads is handed over at once, through one funnel per adapter
 * ({@link ContextCalls}), never processed on the library's thread.
 */
public interface DeviceAdapter {

  /**
   * Connects the transport. Completes once the adapter is usable; a transport that is not
   * reachable yet does not fail the start, it keeps retrying and reports through
   * {@link DeviceSink#transportChanged(String, boolean)}.
   */
  Future<Void> start(DeviceSink sink);

  /** Disconnects and releases threads. Idempotent. */
  Future<Void> stop();

  /** Starts tracking a device: subscribe to its reports (MQTT) or observe it (CoAP). */
  Future<Void> attach(DeviceDefinition device, Profile profile);

  /** Stops tracking a device. Unknown ids are ignored. */
  Future<Void> detach(String deviceId);

  /** How commands to this device are confirmed. */
  Confirmation confirmation(DeviceDefinition device);

  /**
   * Sends a command. The returned future succeeds once the command has left the gateway
   * (MQTT: PUBACK from the broker; CoAP: the request was sent), and fails if it could not be sent
   * (transport down, device not attached): the command is then {@code failed}. The outcome arrives
   * later through {@link DeviceSink#commandReplied(CommandReply)} (reply conventions and CoAP) or
   * through state reports (state-confirmed conventions). The adapter never times a command out:
   * the command service owns the deadline.
   */
  Future<Void> send(DeviceCommand command);

  /** True while the transport is connected (MQTT broker reachable, CoAP endpoint started). */
  boolean isUp();

  /** How a convention confirms a command. */
  enum Confirmation {
    /** The device answers the command id (hearth MQTT reply, CoAP response). */
    REPLY,
    /** No replies (Tasmota, Zigbee2MQTT): a state report showing every commanded value confirms. */
    STATE
  }

  /**
   * Inbound messages this adapter dropped since it started (garbage, too large, arriving faster
   * than handled): counted in the gateway's {@code hearth_device_reports_dropped}. Thread-safe.
   */
  default long droppedMessages() {
    return 0;
  }
}
