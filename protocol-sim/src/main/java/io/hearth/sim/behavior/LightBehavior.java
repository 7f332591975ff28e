package io.hearth.sim.behavior;

import java.util.Map;

/** {@code light.dimmable}: power, brightness, colour temperature; action blink; event overheat. */
public final class LightBehavior extends Behavior {

  private long blinkTimer = -1;

  public LightBehavior() {
    declare(Prop.bool("power", true), false);
    declare(Prop.integer("brightness", 0, 100, true), 100);
    declare(Prop.integer("color_temp", 2000, 6500, true), 4000); // config/profiles/light.dimmable.yaml
    declareAction("blink", Prop.integer("times", 1, 10, true));
  }

  @Override
  public String profile() {
    return "light.dimmable";
  }

  @Override
  protected Outcome onAction(String name, Map<String, Object> input) {
    int times = (Integer) input.getOrDefault("times", 1);
    host.cancel(blinkTimer);
    blinkStep(times * 2, bool("power"));
    return Outcome.success();
  }

  /** Toggles the lamp visibly; ends in the state it started from, with one report at the end. */
  private void blinkStep(int remaining, boolean original) {
    if (remaining == 0) {
      state.put("power", original);
      blinkTimer = -1;
      host.stateChanged();
      return;
    }
    state.put("power", !bool("power"));
    blinkTimer = host.schedule(100, () -> blinkStep(remaining - 1, original));
  }

  @Override
  public void stop() {
    host.cancel(blinkTimer);
  }
}
