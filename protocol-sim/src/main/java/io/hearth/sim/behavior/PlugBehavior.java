package io.hearth.sim.behavior;

/** {@code plug}: a switchable socket that measures its load and accumulates energy. */
public final class PlugBehavior extends Behavior {

  /** The simulated appliance draws about this much when on. */
  private static final double LOAD_W = 60.0;

  public PlugBehavior() {
    declare(Prop.bool("power", true), false);
    declare(Prop.number("power_w", 0.0, null, null, false), 0.0);
    declare(Prop.number("energy_kwh", 0.0, null, null, false), 0.0);
  }

  @Override
  public String profile() {
    return "plug";
  }

  @Override
  protected Outcome onSet(java.util.Map<String, Object> changes) {
    state.putAll(changes);
    measure();
    return Outcome.success();
  }

  @Override
  public void tick(long elapsedMs) {
    // energy of the interval just gone, at the load measured at its start
    double kwh = num("energy_kwh") + num("power_w") * elapsedMs / 3_600_000_000.0;
    state.put("energy_kwh", Math.round(kwh * 1_000_000.0) / 1_000_000.0);
    measure();
  }

  private void measure() {
    double w = bool("power") ? LOAD_W + (host.random().nextDouble() - 0.5) * 2.0 : 0.0;
    state.put("power_w", round1(w));
  }
}
