package io.hearth.device;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A thing model: what a kind of device can report, be set to, do and emit. Loaded from
 * {@code config/profiles/<id>.yaml}.
 */
public record Profile(
    String id,
    String name,
    Map<String, PropertySpec> properties,
    Map<String, ActionSpec> actions,
    Map<String, EventSpec> events) {

  public Profile {
    Objects.requireNonNull(id, "id");
    name = name == null ? id : name;
    properties = properties == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    actions = actions == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(actions));
    events = events == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(events));
  }

  public PropertySpec property(String name) {
    return properties.get(name);
  }
}
