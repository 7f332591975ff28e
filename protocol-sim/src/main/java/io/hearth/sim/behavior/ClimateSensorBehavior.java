package io.hearth.sim.behavior;

/** {@code sensor.climate}: temperature and humidity wander a little; the battery drains slowly. */
public final class ClimateSensorBehavior extends Behavior {

  private double batteryExact = 100.0;

  public ClimateSensorBehavior() {
    declare(Prop.number("temperature", -40.0, 80.0, null, false), 21.0);
    declare(Prop.number("humidity", 0.0, 100.0, null, false), 45.0);
    declare(Prop.integer("battery", 0, 100, false), 100);
  }

  @Override
  public String profile() {
    return "sensor.climate";
  }

  @Override
  public void tick(long elapsedMs) {
    double t = num("temperature") + (host.random().nextDouble() - 0.5) * 0.4;
    double h = num("humidity") + (host.random().nextDouble() - 0.5) * 1.0;
    state.put("temperature", round1(Math.max(10.0, Math.min(32.0, t))));
    state.put("humidity", round1(Math.max(20.0, Math.min(80.0, h))));
    // about one percent per simulated day of reports every minute
    batteryExact = Math.max(0.0, batteryExact - elapsedMs / 86_400_000.0);
    state.put("battery", (int) Math.ceil(batteryExact));
  }

  @Override
  protected Outcome onLocalSet(java.util.Map<String, Object> changes) {
    state.putAll(changes);
    if (changes.containsKey("battery")) {
      batteryExact = ((Number) changes.get("battery")).doubleValue();
    }
    return Outcome.success();
  }
}
