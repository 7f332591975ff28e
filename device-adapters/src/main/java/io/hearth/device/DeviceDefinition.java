package io.hearth.device;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A registered device: one entry of {@code devices.yaml} or of {@code POST /devices}.
 *
 * @param powerSource            {@code powerSource}: what powers it, or null when not declared
 * @param availabilityTimeoutMin {@code availabilityTimeoutMin}: minutes of silence before it counts
 *                               as offline (0: never), or null for its power source's default
 *                               (docs/devices.md#availability-and-sleepy-devices)
 */
public record DeviceDefinition(String id, String name, String room, String profileId, Binding binding,
    PowerSource powerSource, Integer availabilityTimeoutMin) {
  private static final Pattern ID = Pattern.compile("[a-z0-9_-]{1,64}");

  public DeviceDefinition {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(profileId, "profile");
    Objects.requireNonNull(binding, "binding");
    name = name == null || name.isBlank() ? id : name;
  }

  /** Without a declared power source or availability timeout. */
  public DeviceDefinition(String id, String name, String room, String profileId, Binding binding) {
    this(id, name, room, profileId, binding, null, null);
  }

  /** True if {@code id} is 1–64 characters of {@code [a-z0-9_-]}. */
  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  public DeviceDefinition withBinding(Binding newBinding) {
    return new DeviceDefinition(id, name, room, profileId, newBinding, powerSource, availabilityTimeoutMin);
  }
}
