package io.hearth.gateway.automation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * What the {@code scene} action calls (docs/automations.md, "Actions"). The scenes feature
 * provides the real one; {@link #NONE} knows no scene and fails every activation with
 * {@link SceneNotFoundException} (the step's code is {@code SCENE_NOT_FOUND}); a scene whose devices
 * did not all succeed fails with {@link SceneFailedException} ({@code SCENE_FAILED}).
 */
@FunctionalInterface
public interface SceneActivator {

  /** Activates a scene; the future fails when the scene does not exist or could not be activated. */
  Future<JsonObject> activate(String sceneId);

  /** No scenes. */
  SceneActivator NONE = id -> Future.failedFuture(new SceneNotFoundException(id));

  /** The scene does not exist. */
  final class SceneNotFoundException extends RuntimeException {
    public SceneNotFoundException(String sceneId) {
      super("no scene '" + sceneId + "'");
    }
  }

  /** The scene ran, but some or all of its devices failed. */
  final class SceneFailedException extends RuntimeException {
    public SceneFailedException(String sceneId, String status, String failedDevices) {
      super("scene '" + sceneId + "' " + status + ": failed on " + failedDevices);
    }
  }
}
