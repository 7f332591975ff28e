package io.hearth.device;

import java.util.Map;
import java.util.Objects;

/** An action of a thing model ({@code open}, {@code blink}) with its typed input fields. */
public record ActionSpec(String name, Map<String, PropertySpec> input) {
  public ActionSpec {
    Objects.requireNonNull(name, "name");
    input = input == null ? Map.of() : Map.copyOf(input);
  }
}
