package io.hearth.sim;

import java.util.List;

/**
 * A running simulated Zigbee2MQTT bridge: one MQTT client serving several {@link SimDevice}s. Methods
 * may be called from any thread; off the simulator's threads they return once done.
 */
public interface SimBridge {

  String id();

  /** Zigbee2MQTT's {@code mqtt.base_topic}. */
  String baseTopic();

  /** The MQTT client id the bridge connects with. */
  String clientId();

  /** The devices behind the bridge. */
  List<SimDevice> devices();

  /** Whether the bridge is connected to the broker. */
  boolean online();

  /**
   * Goes offline. With will: the connection dies without DISCONNECT (Zigbee2MQTT killed, host
   * unplugged), so the broker publishes the retained will on {@code <base>/bridge/state}. Without:
   * publishes {@code {"state":"offline"}} retained, then disconnects (Zigbee2MQTT stopped).
   */
  void goOffline(boolean withWill);

  /** Reconnects and announces itself again (bridge state, info, devices, availability, states). */
  void goOnline();
}
