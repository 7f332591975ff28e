package io.hearth.sim.mqtt;

import java.util.List;
import java.util.Objects;

/**
 * How one simulated MQTT client connects: what a real device's firmware puts in its CONNECT and
 * SUBSCRIBE packets.
 *
 * @param clientId              client identifier (Tasmota {@code DVES_XXXXXX}, hearth the device id)
 * @param mqttVersion           4 (MQTT 3.1.1: Tasmota's PubSubClient, Zigbee2MQTT's mqtt.js default) or 5
 * @param willTopic             last-will topic
 * @param willPayload           last-will payload (sent QoS 1)
 * @param willRetain            whether the will is retained
 * @param username              user name, or null
 * @param password              password, or null
 * @param subscriptions         topic filters subscribed right after CONNACK (QoS 1 for hearth, 0 otherwise)
 * @param subscribeQos          QoS of those subscriptions
 * @param requireSubscriptions  whether a refused SUBSCRIBE fails the connection; real firmware never
 *                              reads its SUBACK return codes (Tasmota's PubSubClient, mqtt.js without
 *                              error checks), so for them it is false and a refusal is only logged
 * @param keepAliveSeconds      CONNECT keep-alive (Tasmota {@code MQTT_KEEPALIVE} 30, mqtt.js 60); 0 for
 *                              {@link io.hearth.sim.SimOptions#keepAliveSeconds()}
 */
public record LinkOptions(String clientId, int mqttVersion, String willTopic, byte[] willPayload, boolean willRetain,
    String username, String password, List<String> subscriptions, int subscribeQos, boolean requireSubscriptions,
    int keepAliveSeconds) {

  public LinkOptions {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(willTopic, "willTopic");
    Objects.requireNonNull(willPayload, "willPayload");
    subscriptions = List.copyOf(subscriptions);
    if (mqttVersion != 4 && mqttVersion != 5) {
      throw new IllegalArgumentException("mqttVersion must be 4 (3.1.1) or 5: " + mqttVersion);
    }
  }
}
