package io.hearth.device;

import java.util.Objects;
import java.util.regex.Pattern;

/** A registered device: one entry of {@code devices.yaml} or of {@code POST /devices}. */
public record DeviceDefinition(String id, String name, String room, String profileId, Binding binding) {
  private static final Pattern ID = Pattern.compile("[a-z0-9_-]{1,64}");

  public DeviceDefinition {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(profileId, "profile");
    Objects.requireNonNull(binding, "binding");
    name = name == null || name.isBlank() ? id : name;
  }

  /** True if {@code id} is 1–64 characters of {@code [a-z0-9_-]}. */
  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  public DeviceDefinition withBinding(Binding newBinding) {
    return new DeviceDefinition(id, name, room, profileId, newBinding);
  }
}
