package io.hearth.adapter.mqtt;

import java.util.List;

/**
 * The MQTT topic filters one device may publish to and subscribe on, under its convention
 * (e.g. {@code hearth/{id}/state}). The embedded broker denies everything else to that device.
 */
public record TopicPermissions(List<String> publish, List<String> subscribe) {
  public TopicPermissions {
    publish = List.copyOf(publish);
    subscribe = List.copyOf(subscribe);
  }
}
