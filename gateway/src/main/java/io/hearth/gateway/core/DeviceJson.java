package io.hearth.gateway.core;

import io.hearth.adapter.Supports;
import io.hearth.device.ActionSpec;
import io.hearth.device.EventSpec;
import io.hearth.device.PowerSource;
import io.hearth.device.Profile;
import io.hearth.device.PropertySpec;
import io.hearth.gateway.registry.DeviceRegistry.RegisteredDevice;
import io.hearth.gateway.state.AvailabilityPolicy;
import io.hearth.gateway.state.DeviceView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders devices and profiles in the shapes of {@code docs/api.md} and {@code docs/devices.md}, as
 * plain maps for JSON.
 */
public final class DeviceJson {
  private DeviceJson() {}

  /** The {@code Device} object of the app API. Credentials are never included. */
  public static Map<String, Object> device(RegisteredDevice d, DeviceView v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id());
    m.put("name", d.definition().name());
    m.put("room", d.definition().room());
    m.put("profile", d.definition().profileId());
    m.put("protocol", d.definition().binding().protocol());
    m.put("supports", supports(d.supports()));
    m.put("online", v != null && v.online());
    m.put("lastSeen", v == null ? null : Timestamps.wire(v.lastSeen()));
    m.put("version", v == null ? 0 : v.version());
    m.put("state", v == null ? Map.of() : new TreeMap<>(v.state()));
    m.put("pending", v == null ? Map.of() : new TreeMap<>(v.pending()));
    Map<String, Object> updated = new TreeMap<>();
    if (v != null) {
      for (Map.Entry<String, Instant> e : v.updatedAt().entrySet()) {
        updated.put(e.getKey(), Timestamps.wire(e.getValue()));
      }
    }
    m.put("updatedAt", updated);
    if (v != null && !v.online() && v.reason() != null) {
      m.put("offlineReason", v.reason());
    }
    PowerSource power = AvailabilityPolicy.powerSource(d.definition());
    if (power != null) {
      m.put("powerSource", power.wireName());
    }
    if (d.definition().availabilityTimeoutMin() != null) {
      m.put("availabilityTimeoutMin", d.definition().availabilityTimeoutMin());
    }
    return m;
  }

  /** What the device's binding carries: {@code {"read":[…],"set":[…],"actions":[…]}} (docs/api.md). */
  private static Map<String, Object> supports(Supports s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("read", s.read());
    m.put("set", s.set());
    m.put("actions", s.actions());
    return m;
  }

  /** A profile as {@code GET /profiles} lists it (the same keys as the profile files). */
  public static Map<String, Object> profile(Profile p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", p.id());
    m.put("name", p.name());
    Map<String, Object> props = new LinkedHashMap<>();
    p.properties().forEach((k, s) -> props.put(k, property(s, true)));
    m.put("properties", props);
    Map<String, Object> actions = new LinkedHashMap<>();
    for (ActionSpec a : p.actions().values()) {
      Map<String, Object> input = new LinkedHashMap<>();
      a.input().forEach((k, s) -> input.put(k, property(s, false)));
      actions.put(a.name(), Map.of("input", input));
    }
    m.put("actions", actions);
    Map<String, Object> events = new LinkedHashMap<>();
    for (EventSpec e : p.events().values()) {
      Map<String, Object> data = new LinkedHashMap<>();
      e.data().forEach((k, s) -> data.put(k, property(s, false)));
      events.put(e.name(), Map.of("data", data));
    }
    m.put("events", events);
    return m;
  }

  private static Map<String, Object> property(PropertySpec s, boolean withMode) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", s.type().wireName());
    if (withMode) {
      m.put("mode", s.writable() ? "rw" : "r");
    }
    putNumber(m, "min", s.min());
    putNumber(m, "max", s.max());
    putNumber(m, "step", s.step());
    if (s.unit() != null) {
      m.put("unit", s.unit());
    }
    if (!s.values().isEmpty()) {
      m.put("values", s.values());
    }
    if (s.maxLength() != null) {
      m.put("maxLength", s.maxLength());
    }
    return m;
  }

  private static void putNumber(Map<String, Object> m, String key, Double d) {
    if (d != null) {
      m.put(key, d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) d.longValue() : d);
    }
  }
}
