package io.hearth.gateway.scenes;

import io.hearth.gateway.automation.SceneActivator;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The automations' {@code scene} action (docs/automations.md, "Actions") on the scenes resource: the
 * rule activates as the hub itself (no guest scope, no session budget). Every device succeeded: the
 * step succeeds with the activation's answer (docs/scenes.md#activation); an unknown scene fails it
 * with {@code SCENE_NOT_FOUND}; a partly or wholly failed activation fails it with
 * {@code SCENE_FAILED}, naming the devices that failed.
 */
public final class AutomationScenes implements SceneActivator {
  private final SceneService scenes;

  public AutomationScenes(SceneService scenes) {
    this.scenes = Objects.requireNonNull(scenes, "scenes");
  }

  @Override
  public Future<JsonObject> activate(String sceneId) {
    return scenes.activate(sceneId, null).compose(outcome -> {
      if (!(outcome instanceof SceneOutcome.Activated a)) {
        return Future.failedFuture(new SceneNotFoundException(sceneId));
      }
      if (a.status().equals("succeeded")) {
        return Future.succeededFuture(SceneHandlers.activated(a));
      }
      String failed = a.devices().stream().filter(d -> !d.succeeded()).map(SceneOutcome.DeviceOutcome::deviceId)
          .collect(Collectors.joining(", "));
      return Future.failedFuture(new SceneFailedException(sceneId, a.status(), failed));
    });
  }
}
