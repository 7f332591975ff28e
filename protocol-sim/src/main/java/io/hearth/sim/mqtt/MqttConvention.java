package io.hearth.sim.mqtt;

import io.hearth.sim.behavior.Outcome;
import java.util.List;
import java.util.Map;

/**
 * The topics and payload codecs of one MQTT convention, as a device speaks it. A convention is a
 * table plus codecs; the device machinery (faults, duplicates, delays) lives in
 * {@link MqttSimDevice}.
 */
public interface MqttConvention {

  /** Whether commands carry ids that are answered (and de-duplicated): only hearth. */
  default boolean commandIds() {
    return false;
  }

  /** Topic filters the device subscribes to. */
  List<String> subscriptions();

  /** Retained availability topic; also the will topic. */
  String availabilityTopic();

  byte[] onlinePayload();

  /** Payload of the will and of a clean offline announcement. */
  byte[] offlinePayload();

  /** Decodes a message received on one of {@link #subscriptions()}; {@code state} is the current state. */
  Inbound decode(String topic, byte[] payload, Map<String, Object> state);

  /** What the device publishes when its state changed or on request. */
  List<Publication> stateReport(Map<String, Object> state);

  /** What the device publishes at each report interval (telemetry). */
  List<Publication> periodicReport(Map<String, Object> state);

  /**
   * What a processed command changes on the wire whatever happens to its confirmation: hearth
   * publishes its new state here (before the reply); conventions whose confirmation is the state
   * publish nothing here.
   */
  List<Publication> commandEffects(Inbound command, Outcome outcome, Map<String, Object> state);

  /**
   * What confirms a processed command, subject to the drop-replies fault: the hearth reply, the
   * Tasmota {@code stat/} results, the Zigbee2MQTT state.
   */
  List<Publication> confirmation(Inbound command, Outcome outcome, Map<String, Object> state);

  /** A device event, or nothing when the convention has no events. */
  List<Publication> event(String name, Map<String, Object> data);

  /** Topic for {@link io.hearth.sim.SimDevice#publishRaw}. */
  String rawTopic(String subtopic);
}
