package io.hearth.sim.behavior;

import java.util.List;

/**
 * {@code thermostat}: the room temperature drifts toward the target while heating or cooling, and
 * toward the ambient temperature when off.
 */
public final class ThermostatBehavior extends Behavior {

  private static final double AMBIENT = 18.0;
  /** Degrees per minute the heater or cooler moves the room. */
  private static final double RATE_PER_MIN = 6.0;

  /** Unrounded room temperature; reports carry one decimal. */
  private double exact = 19.5;

  public ThermostatBehavior() {
    declare(Prop.number("target_temp", 5.0, 35.0, 0.5, true), 21.0);
    declare(Prop.number("current_temp", null, null, null, false), 19.5);
    declare(Prop.oneOf("mode", List.of("off", "heat", "cool", "auto"), true), "heat");
  }

  @Override
  public String profile() {
    return "thermostat";
  }

  @Override
  protected Outcome onLocalSet(java.util.Map<String, Object> changes) {
    state.putAll(changes);
    exact = num("current_temp");
    return Outcome.success();
  }

  @Override
  public void tick(long elapsedMs) {
    double current = exact;
    double target = num("target_temp");
    String mode = (String) state.get("mode");
    double maxStep = RATE_PER_MIN * elapsedMs / 60_000.0;
    double goal;
    boolean driven;
    switch (mode) {
      case "heat":
        driven = current < target;
        goal = driven ? target : Math.max(target, AMBIENT);
        break;
      case "cool":
        driven = current > target;
        goal = driven ? target : Math.min(target, AMBIENT);
        break;
      case "auto":
        driven = true;
        goal = target;
        break;
      default:
        driven = false;
        goal = AMBIENT;
    }
    if (!driven) {
      maxStep = maxStep / 4; // a room cools or warms slowly on its own
    }
    double delta = Math.max(-maxStep, Math.min(maxStep, goal - current));
    exact = current + delta;
    state.put("current_temp", round1(exact));
  }
}
