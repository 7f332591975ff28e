package io.hearth.sim.behavior;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Creates the behaviour for a built-in profile id. */
public final class Behaviors {

  private static final Map<String, Supplier<Behavior>> FACTORIES = Map.of(
      "light.dimmable", LightBehavior::new,
      "plug", PlugBehavior::new,
      "thermostat", ThermostatBehavior::new,
      "sensor.climate", ClimateSensorBehavior::new,
      "sensor.contact", ContactSensorBehavior::new,
      "lock", LockBehavior::new,
      "curtain", CurtainBehavior::new);

  private Behaviors() {
  }

  /** Profile ids the simulator can play, in a stable order. */
  public static List<String> profiles() {
    return List.of("light.dimmable", "plug", "thermostat", "sensor.climate", "sensor.contact", "lock",
        "curtain");
  }

  /**
   * @throws IllegalArgumentException for a profile the simulator does not know
   */
  public static Behavior create(String profile) {
    Supplier<Behavior> f = FACTORIES.get(profile);
    if (f == null) {
      throw new IllegalArgumentException("unknown profile: " + profile + " (known: " + profiles() + ")");
    }
    return f.get();
  }
}
