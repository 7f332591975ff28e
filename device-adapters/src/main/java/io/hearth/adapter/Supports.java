package io.hearth.adapter;

import io.hearth.device.Profile;
import io.hearth.device.PropertySpec;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * What a device's binding can carry, for its profile: the properties its convention reports
 * ({@code read}), the properties a command may set ({@code set}) and the actions it can send. Each
 * list is a subset of the profile, in the profile's order; {@code set} names writable properties
 * only. The device view shows it as {@code supports} (docs/api.md) and a command outside it is
 * refused before anything is recorded or sent.
 *
 * @param read    properties the convention decodes from the device's reports
 * @param set     writable properties a command may set
 * @param actions actions a command may call
 */
public record Supports(List<String> read, List<String> set, List<String> actions) {

  public Supports {
    read = List.copyOf(Objects.requireNonNull(read, "read"));
    set = List.copyOf(Objects.requireNonNull(set, "set"));
    actions = List.copyOf(Objects.requireNonNull(actions, "actions"));
  }

  /** Everything in the profile: every property read, every writable one set, every action. */
  public static Supports all(Profile profile) {
    return new Supports(List.copyOf(profile.properties().keySet()), writable(profile, profile.properties().keySet()),
        List.copyOf(profile.actions().keySet()));
  }

  /**
   * The part of a profile a convention carries: the names given, kept only where the profile has
   * them ({@code set} only where writable), in the profile's order.
   */
  public static Supports of(Profile profile, Collection<String> read, Collection<String> set,
      Collection<String> actions) {
    return new Supports(
        profile.properties().keySet().stream().filter(read::contains).toList(),
        writable(profile, set),
        profile.actions().keySet().stream().filter(actions::contains).toList());
  }

  /** The same, without any action (a convention that has none). */
  public Supports withoutActions() {
    return new Supports(read, set, List.of());
  }

  public boolean canSet(String property) {
    return set.contains(property);
  }

  public boolean canCall(String action) {
    return actions.contains(action);
  }

  private static List<String> writable(Profile profile, Collection<String> names) {
    return profile.properties().values().stream().filter(PropertySpec::writable).map(PropertySpec::name)
        .filter(names::contains).toList();
  }
}
