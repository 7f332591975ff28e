package io.hearth.gateway.store;

import io.hearth.adapter.mqtt.MqttBridge;
import java.util.List;

/**
 * The Zigbee2MQTT bridges registered through the API ({@code POST /bridges}), as stored (see
 * {@link Store}: blocking, one caller at a time). Bridges of devices.yaml are not stored: the file
 * is read at each start.
 */
public interface BridgeStore {

  /** Every stored bridge, in registration order. */
  List<MqttBridge> load();

  /** Adds or replaces a bridge (by id). */
  void upsert(MqttBridge bridge);

  /** Removes a bridge; nothing if there is none. */
  void delete(String bridgeId);
}
