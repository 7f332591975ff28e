package io.hearth.sim.behavior;

import java.util.Map;

/**
 * {@code lock}: locks and unlocks; while the "jammed" fault is set it refuses to move, answers an
 * error and emits the {@code jammed} event.
 */
public final class LockBehavior extends Behavior {

  public LockBehavior() {
    declare(Prop.bool("locked", true), true);
  }

  @Override
  public String profile() {
    return "lock";
  }

  @Override
  protected Outcome onSet(Map<String, Object> changes) {
    if (host.jammed() && !changes.get("locked").equals(state.get("locked"))) {
      host.emitEvent("jammed", Map.of("locked", state.get("locked")));
      return Outcome.deviceFault("jammed: bolt cannot move");
    }
    state.putAll(changes);
    return Outcome.success();
  }
}
