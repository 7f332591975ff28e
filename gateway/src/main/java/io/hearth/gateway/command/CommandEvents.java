package io.hearth.gateway.command;

import io.hearth.gateway.events.EventHub;
import io.hearth.gateway.events.GatewayEvent;
import io.hearth.gateway.store.CommandRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code command} event of a command's new status (docs/websocket.md): its id, status, error if
 * any, and for a {@code superseded} one the command that replaced it.
 */
final class CommandEvents {
  private CommandEvents() {}

  static void publish(EventHub events, CommandRecord r) {
    publish(events, r, null);
  }

  static void publish(EventHub events, CommandRecord r, String supersededBy) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("commandId", r.commandId());
    data.put("status", r.status().wireName());
    if (r.error() != null) {
      data.put("error", r.error());
    }
    if (supersededBy != null) {
      data.put("supersededBy", supersededBy);
    }
    events.publish(GatewayEvent.COMMAND, r.deviceId(), data);
  }
}
