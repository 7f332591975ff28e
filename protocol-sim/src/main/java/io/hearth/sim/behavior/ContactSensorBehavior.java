package io.hearth.sim.behavior;

/** {@code sensor.contact}: a door or window contact; it changes only locally (see setState). */
public final class ContactSensorBehavior extends Behavior {

  public ContactSensorBehavior() {
    declare(Prop.bool("open", false), false);
  }

  @Override
  public String profile() {
    return "sensor.contact";
  }
}
