package io.hearth.gateway.core;

import io.hearth.gateway.command.CommandResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders a command's result in the shape both edges answer with (docs/api.md#commands), as a
 * plain map for JSON: {@code {"commandId","status"}} while pending, plus {@code "device"},
 * {@code "state"} and {@code "version"} once succeeded, plus {@code "supersededBy"} once superseded. A failure is an error at each edge, not a
 * result: REST and the WebSocket render {@link CommandResult.Failed} themselves.
 */
public final class CommandJson {
  private CommandJson() {}

  /** The body of an accepted or succeeded command. */
  public static Map<String, Object> result(CommandResult r) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("commandId", r.commandId());
    body.put("status", r.status().wireName());
    if (r instanceof CommandResult.Succeeded s) {
      body.put("device", s.deviceId());
      if (s.state() != null) {
        body.put("state", s.state());
        body.put("version", s.version());
      }
    } else if (r instanceof CommandResult.Superseded s && s.supersededBy() != null) {
      body.put("supersededBy", s.supersededBy());
    }
    return body;
  }
}
