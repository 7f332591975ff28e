package io.hearth.gateway.profile;

import io.hearth.adapter.Supports;
import io.hearth.device.ActionSpec;
import io.hearth.device.Profile;
import io.hearth.device.PropertySpec;
import io.hearth.gateway.domain.FieldError;
import io.hearth.gateway.domain.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a command against its device's profile before anything is sent: unknown or read-only
 * property, wrong type, out of range, off-step, bad enum, unknown action or action input, and a
 * property or action the device's binding cannot carry ({@link Supports}). Collects one
 * {@link FieldError} per problem.
 */
public final class CommandValidator {
  private CommandValidator() {}

  /** Validates a {@code set} map for a binding that carries the whole profile. */
  public static Map<String, Object> validateSet(Profile profile, Map<String, Object> set) {
    return validateSet(profile, Supports.all(profile), set);
  }

  /**
   * Validates a {@code set} map.
   *
   * @param supports what the device's binding carries; a property it cannot set is a problem
   * @return the values normalised to their property types
   * @throws ValidationException listing every problem
   */
  public static Map<String, Object> validateSet(Profile profile, Supports supports, Map<String, Object> set) {
    List<FieldError> errors = new ArrayList<>();
    Map<String, Object> out = new LinkedHashMap<>();
    if (set.isEmpty()) {
      errors.add(new FieldError("set", "must name at least one property"));
    }
    set.forEach((name, value) -> {
      PropertySpec spec = profile.property(name);
      if (spec == null) {
        errors.add(new FieldError(name, "is not a property of profile " + profile.id()));
      } else if (!spec.writable()) {
        errors.add(new FieldError(name, "is read-only"));
      } else if (!supports.canSet(name)) {
        errors.add(new FieldError(name, "cannot be set through this device's binding (it sets "
            + listOrNone(supports.set()) + ")"));
      } else {
        normalizeInto(spec, name, value, out, errors);
      }
    });
    if (!errors.isEmpty()) {
      throw ValidationException.of(errors);
    }
    return out;
  }

  /** Validates an action and its input for a binding that carries every action of the profile. */
  public static Map<String, Object> validateAction(Profile profile, String action, Map<String, Object> input) {
    return validateAction(profile, Supports.all(profile), action, input);
  }

  /**
   * Validates an action and its input.
   *
   * @param supports what the device's binding carries; an action it cannot send is a problem
   * @return the input normalised to its field types
   */
  public static Map<String, Object> validateAction(Profile profile, Supports supports, String action,
      Map<String, Object> input) {
    ActionSpec spec = profile.actions().get(action);
    if (spec == null) {
      throw ValidationException.of(List.of(new FieldError("action",
          "'" + action + "' is not an action of profile " + profile.id()
              + (profile.actions().isEmpty() ? " (it has none)" : " " + profile.actions().keySet()))));
    }
    if (!supports.canCall(action)) {
      throw ValidationException.of(List.of(new FieldError("action", "'" + action
          + "' cannot be sent through this device's binding (it sends " + listOrNone(supports.actions()) + ")")));
    }
    List<FieldError> errors = new ArrayList<>();
    Map<String, Object> out = new LinkedHashMap<>();
    input.forEach((name, value) -> {
      PropertySpec field = spec.input().get(name);
      if (field == null) {
        errors.add(new FieldError("input." + name, "is not an input of action " + action));
      } else {
        normalizeInto(field, "input." + name, value, out, errors);
      }
    });
    if (!errors.isEmpty()) {
      throw ValidationException.of(errors);
    }
    return out;
  }

  private static String listOrNone(List<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  private static void normalizeInto(PropertySpec spec, String path, Object value, Map<String, Object> out,
      List<FieldError> errors) {
    try {
      out.put(spec.name(), spec.normalize(value));
    } catch (PropertySpec.InvalidValueException e) {
      errors.add(new FieldError(path, e.getMessage()));
    }
  }
}
