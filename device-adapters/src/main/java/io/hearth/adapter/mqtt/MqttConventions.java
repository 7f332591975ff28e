package io.hearth.adapter.mqtt;

import io.hearth.device.DeviceDefinition;
import java.util.List;

/** PLACEHOLDER until the MQTT adapter lands: hearth-convention permissions only. */
public final class MqttConventions {
  private MqttConventions() {}

  public static TopicPermissions permissionsFor(DeviceDefinition d) {
    String p = "hearth/" + d.id() + "/";
    return new TopicPermissions(List.of(p + "state", p + "reply", p + "availability", p + "event/+"),
        List.of(p + "set", p + "action/+"));
  }
}
