package io.hearth.sim.behavior;

import java.util.Map;

/**
 * {@code curtain}: a motor moves toward the commanded position in steps, reporting each step;
 * {@code stop} halts it where it is.
 */
public final class CurtainBehavior extends Behavior {

  static final int STEP = 10;
  static final long STEP_MS = 100;

  private long moveTimer = -1;
  private int target;

  public CurtainBehavior() {
    declare(Prop.integer("position", 0, 100, true), 0);
    declareAction("open");
    declareAction("close");
    declareAction("stop");
  }

  @Override
  public String profile() {
    return "curtain";
  }

  @Override
  protected Outcome onSet(Map<String, Object> changes) {
    moveTo((Integer) changes.get("position"));
    return Outcome.success();
  }

  @Override
  protected Outcome onLocalSet(Map<String, Object> changes) {
    halt();
    state.putAll(changes);
    return Outcome.success();
  }

  @Override
  protected Outcome onAction(String name, Map<String, Object> input) {
    switch (name) {
      case "open":
        moveTo(100);
        return Outcome.success();
      case "close":
        moveTo(0);
        return Outcome.success();
      case "stop":
        halt();
        return Outcome.success();
      default:
        return super.onAction(name, input);
    }
  }

  private void moveTo(int position) {
    target = position;
    if (moveTimer < 0) {
      moveTimer = host.schedule(STEP_MS, this::step);
    }
  }

  private void step() {
    int pos = (Integer) state.get("position");
    int next = pos < target ? Math.min(target, pos + STEP) : Math.max(target, pos - STEP);
    state.put("position", next);
    moveTimer = next == target ? -1 : host.schedule(STEP_MS, this::step);
    host.stateChanged();
  }

  private void halt() {
    host.cancel(moveTimer);
    moveTimer = -1;
  }

  @Override
  public void stop() {
    halt();
  }
}
