package io.hearth.gateway.homeassistant;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The MQTT topics Hearth and Home Assistant share (docs/home-assistant.md, "Topics"): discovery
 * configs under {@code <prefix>/device/<id>/config}, Home Assistant's birth on {@code <prefix>/status},
 * and under the base topic the gateway's status, each device's state and availability, and the
 * command topics, which all end in {@code /set}.
 *
 * @param prefix Home Assistant's discovery prefix
 * @param base   the root of Hearth's state, availability and command topics
 */
record HaTopics(String prefix, String base) {
  HaTopics {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(base, "base");
  }

  /** Retained device-based discovery config of one device (or of the hub). */
  String config(String objectId) {
    return prefix + "/device/" + objectId + "/config";
  }

  /** Home Assistant's birth and will ({@code online} / {@code offline}). */
  String haStatus() {
    return prefix + "/status";
  }

  /** The gateway's own availability: retained {@code online}, {@code offline} on stop and as its will. */
  String gatewayStatus() {
    return base + "/status";
  }

  /** A device's state: its properties as JSON, retained. */
  String state(String deviceId) {
    return base + "/" + deviceId + "/state";
  }

  /** A light's state in Home Assistant's JSON light shape, retained. */
  String lightState(String deviceId, String objectId) {
    return base + "/" + deviceId + "/" + objectId + "/state";
  }

  /** A device's availability ({@code online} / {@code offline}), retained. */
  String availability(String deviceId) {
    return base + "/" + deviceId + "/availability";
  }

  /** A command topic: {@code <base>/<id>/<object>/set}, or {@code <base>/<id>/<object>/<kind>/set}. */
  String command(String deviceId, String objectId, String kind) {
    return base + "/" + deviceId + "/" + objectId + (kind.isEmpty() ? "" : "/" + kind) + "/set";
  }

  /** What the gateway subscribes to: every command topic and Home Assistant's status. */
  List<String> subscriptions() {
    return List.of(base + "/+/+/set", base + "/+/+/+/set", haStatus());
  }

  /** A command topic taken apart, or empty if {@code topic} is not one. */
  Optional<CommandTopic> parseCommand(String topic) {
    if (!topic.startsWith(base + "/") || !topic.endsWith("/set")) {
      return Optional.empty();
    }
    String[] parts = topic.substring(base.length() + 1, topic.length() - "/set".length()).split("/", -1);
    if (parts.length == 2) {
      return Optional.of(new CommandTopic(parts[0], parts[1], ""));
    }
    if (parts.length == 3) {
      return Optional.of(new CommandTopic(parts[0], parts[1], parts[2]));
    }
    return Optional.empty();
  }

  /** Which device, component and command kind a command topic names ({@code kind} empty: the main one). */
  record CommandTopic(String deviceId, String objectId, String kind) {}
}
