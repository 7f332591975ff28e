package io.hearth.gateway.scenes;

import io.hearth.gateway.command.CommandResult;
import java.util.List;

/** What an activation came to (docs/scenes.md#activation): a sealed result, rendered once at each edge. */
public sealed interface SceneOutcome {

  /** No such scene. */
  record NotFound(String sceneId) implements SceneOutcome {}

  /** The caller may not activate it: a guest and a device not shared with it. */
  record Forbidden(String sceneId, String deviceId) implements SceneOutcome {}

  /**
   * Every command ended (or was refused before being sent): one outcome per device, in the
   * scene's order.
   */
  record Activated(String sceneId, List<DeviceOutcome> devices) implements SceneOutcome {
    /** {@code succeeded} when every device did, {@code failed} when none did, else {@code partial}. */
    public String status() {
      long ok = devices.stream().filter(DeviceOutcome::succeeded).count();
      return ok == devices.size() ? "succeeded" : ok == 0 ? "failed" : "partial";
    }
  }

  /**
   * One device's outcome: the command's result, or the refusal before anything was sent (unknown
   * device, offline, invalid now that the profile changed, store down…).
   */
  record DeviceOutcome(String deviceId, CommandResult result, Throwable refused) {
    /** Confirmed by the device, or superseded by a newer command that carries the value. */
    public boolean succeeded() {
      return result instanceof CommandResult.Succeeded || result instanceof CommandResult.Superseded;
    }
  }
}
