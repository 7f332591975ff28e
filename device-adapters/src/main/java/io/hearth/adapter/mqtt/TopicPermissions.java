package io.hearth.adapter.mqtt;

import java.util.List;

/**
 * The MQTT topic filters one device may publish to and subscribe on, under its convention
 * (e.g. {@code hearth/{id}/state}). The embedded broker drops the device's publishes outside them
 * and refuses its subscriptions outside them (docs/broker.md).
 *
 * <p>A filter may hold {@link #CLIENT_ID} as a whole level or inside one (Tasmota's fallback topic
 * {@code cmnd/%c_fb/#}): the broker replaces it with the client id of the connection at CONNECT.
 */
public record TopicPermissions(List<String> publish, List<String> subscribe) {

  /**
   * Placeholder for the connecting client's id (Mosquitto's ACL pattern {@code %c}). A client whose
   * id is not a plain topic level (empty, or holding {@code /}, {@code +}, {@code #}, or starting
   * with {@code $}) gets no filter that uses it.
   */
  public static final String CLIENT_ID = "%c";

  public TopicPermissions {
    publish = List.copyOf(publish);
    subscribe = List.copyOf(subscribe);
  }
}
