package io.hearth.sim.behavior;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The logic of one simulated device of one profile: its properties, how it validates and applies
 * commands, its actions and what it does as time passes. One subclass per behaviour. Not
 * thread-safe: the hosting device calls it from its own thread only.
 */
public abstract class Behavior {

  private final Map<String, Prop> props = new LinkedHashMap<>();
  private final Map<String, Map<String, Prop>> actions = new LinkedHashMap<>();
  protected final Map<String, Object> state = new LinkedHashMap<>();
  protected DeviceHost host;

  /** The profile id this behaviour simulates, e.g. {@code light.dimmable}. */
  public abstract String profile();

  /** Declares a property with its initial value. */
  protected final void declare(Prop prop, Object initial) {
    props.put(prop.name(), prop);
    state.put(prop.name(), initial);
  }

  /** Declares an action with its input fields. */
  protected final void declareAction(String name, Prop... inputs) {
    Map<String, Prop> in = new LinkedHashMap<>();
    for (Prop p : inputs) {
      in.put(p.name(), p);
    }
    actions.put(name, in);
  }

  /** Attaches the hosting device; called once before anything else. */
  public void attach(DeviceHost host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  /** Declared properties by name. */
  public final Map<String, Prop> props() {
    return Collections.unmodifiableMap(props);
  }

  /** Declared action names, in declaration order. */
  public final java.util.Set<String> actions() {
    return Collections.unmodifiableSet(actions.keySet());
  }

  /** Current full state (a copy). */
  public final Map<String, Object> snapshot() {
    return new LinkedHashMap<>(state);
  }

  /**
   * A command sets properties: every value is checked first, nothing is applied unless all are
   * acceptable (a real device answers one error for the whole request).
   */
  public final Outcome set(Map<String, Object> changes) {
    return apply(changes, true);
  }

  /** A local change (a person at the device): read-only properties may change too. */
  public final Outcome setLocal(Map<String, Object> changes) {
    return apply(changes, false);
  }

  private Outcome apply(Map<String, Object> changes, boolean remote) {
    if (changes == null || changes.isEmpty()) {
      return Outcome.fail("no properties given");
    }
    Map<String, Object> accepted = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    for (Map.Entry<String, Object> e : changes.entrySet()) {
      Prop prop = props.get(e.getKey());
      if (prop == null) {
        errors.add(e.getKey() + ": unknown property");
        continue;
      }
      if (remote && !prop.writable()) {
        errors.add(e.getKey() + ": read-only");
        continue;
      }
      try {
        accepted.put(prop.name(), prop.coerce(e.getValue()));
      } catch (IllegalArgumentException ex) {
        errors.add(ex.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      return Outcome.fail(String.join("; ", errors));
    }
    return remote ? onSet(accepted) : onLocalSet(accepted);
  }

  /** Applies already validated remote changes; subclasses add side effects. */
  protected Outcome onSet(Map<String, Object> changes) {
    state.putAll(changes);
    return Outcome.success();
  }

  /** Applies already validated local changes. */
  protected Outcome onLocalSet(Map<String, Object> changes) {
    state.putAll(changes);
    return Outcome.success();
  }

  /** Invokes an action after validating its input. */
  public final Outcome act(String name, Map<String, Object> input) {
    Map<String, Prop> spec = actions.get(name);
    if (spec == null) {
      return Outcome.fail("unknown action: " + name);
    }
    Map<String, Object> in = input == null ? Map.of() : input;
    Map<String, Object> accepted = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    for (Map.Entry<String, Object> e : in.entrySet()) {
      Prop prop = spec.get(e.getKey());
      if (prop == null) {
        errors.add(e.getKey() + ": unknown input");
        continue;
      }
      try {
        accepted.put(prop.name(), prop.coerce(e.getValue()));
      } catch (IllegalArgumentException ex) {
        errors.add(ex.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      return Outcome.fail(String.join("; ", errors));
    }
    return onAction(name, accepted);
  }

  /** Runs a validated action; only called for declared actions. */
  protected Outcome onAction(String name, Map<String, Object> input) {
    return Outcome.fail("unknown action: " + name);
  }

  /**
   * Time passes: called at each report interval before the periodic report. Subclasses drift,
   * accumulate or add noise here.
   *
   * @param elapsedMs milliseconds since the previous tick
   */
  public void tick(long elapsedMs) {
  }

  /** Stops whatever the behaviour runs on its own (movements); called when the device closes. */
  public void stop() {
  }

  /** Rounds to one decimal, as small devices report. */
  protected static double round1(double d) {
    return Math.round(d * 10.0) / 10.0;
  }

  protected final boolean bool(String name) {
    return Boolean.TRUE.equals(state.get(name));
  }

  protected final double num(String name) {
    return ((Number) state.get(name)).doubleValue();
  }
}
