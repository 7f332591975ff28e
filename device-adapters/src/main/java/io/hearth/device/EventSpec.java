package io.hearth.device;

import java.util.Map;
import java.util.Objects;

/** A device-emitted event of a thing model ({@code jammed}, {@code overheat}) with its data fields. */
public record EventSpec(String name, Map<String, PropertySpec> data) {
  public EventSpec {
    Objects.requireNonNull(name, "name");
    data = data == null ? Map.of() : Map.copyOf(data);
  }
}
