package io.hearth.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.device.Binding;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The transports the gateway speaks, by {@code binding.protocol}: the one place a protocol name
 * is looked up. The gateway builds it once in its composition root; parsing, storing and
 * provisioning a binding all dispatch here to the binding's {@link Transport}.
 */
public final class Transports {
  private static final String PROTOCOL = "protocol";
  private static final String CONVENTION = "convention";

  private final Map<String, Transport> byProtocol;

  private Transports(Map<String, Transport> byProtocol) {
    this.byProtocol = byProtocol;
  }

  /**
   * The registry of these transports, in this order.
   *
   * @throws IllegalArgumentException if two serve the same protocol
   */
  public static Transports of(Transport... transports) {
    Map<String, Transport> map = new LinkedHashMap<>();
    for (Transport t : transports) {
      if (map.putIfAbsent(t.protocol(), t) != null) {
        throw new IllegalArgumentException("two transports for protocol '" + t.protocol() + "'");
      }
    }
    return new Transports(map);
  }

  /** Every transport, in registration order. */
  public List<Transport> all() {
    return List.copyOf(byProtocol.values());
  }

  /** The registered protocol names, in registration order. */
  public List<String> protocols() {
    return List.copyOf(byProtocol.keySet());
  }

  /** The transport of that protocol, if registered. */
  public Optional<Transport> find(String protocol) {
    return Optional.ofNullable(protocol == null ? null : byProtocol.get(protocol));
  }

  /**
   * The transport that owns a binding.
   *
   * @throws IllegalArgumentException if none is registered for its protocol
   */
  public Transport forBinding(Binding binding) {
    return find(binding.protocol()).orElseThrow(() -> new IllegalArgumentException(
        "no transport for protocol '" + binding.protocol() + "' (known: " + String.join(", ", protocols()) + ")"));
  }

  /** The outcome of parsing a binding: the binding, or the problems found (keys under {@code binding}). */
  public record Parsed(Binding binding, List<BindingInput.Problem> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * Parses a {@code binding:} mapping: checks the protocol, the convention and the keys against the
   * protocol's transport, then lets the transport parse its own keys. Every problem is collected.
   *
   * @param deviceId the entry's id, or null if it has none (it is then reported elsewhere)
   */
  public Parsed parse(JsonNode node, String deviceId) {
    List<BindingInput.Problem> problems = new ArrayList<>();
    if (node == null || !node.isObject()) {
      problems.add(new BindingInput.Problem("", "is required: { protocol: " + String.join("|", protocols())
          + ", convention: … }"));
      return new Parsed(null, problems);
    }
    JsonNode p = node.get(PROTOCOL);
    String protocol = p == null || p.isContainerNode() || p.isNull() ? null : p.asText();
    Transport transport = find(protocol).orElse(null);
    node.fieldNames().forEachRemaining(k -> unknownKey(transport, k).ifPresent(problems::add));
    if (transport == null) {
      problems.add(new BindingInput.Problem(PROTOCOL, "must be " + oneOf(protocols())));
      return new Parsed(null, problems);
    }
    JsonNode c = node.get(CONVENTION);
    String convention = c == null || c.isNull() || c.isContainerNode() ? transport.conventions().get(0) : c.asText();
    if (!transport.conventions().contains(convention)) {
      problems.add(new BindingInput.Problem(CONVENTION,
          "must be one of " + new TreeSet<>(transport.conventions()) + " for " + transport.protocol()));
    }
    BindingInput input = new BindingInput(node, deviceId, convention);
    Binding binding = transport.parse(input);
    problems.addAll(input.problems());
    return problems.isEmpty() ? new Parsed(binding, List.of()) : new Parsed(null, problems);
  }

  private Optional<BindingInput.Problem> unknownKey(Transport transport, String key) {
    if (key.equals(PROTOCOL) || key.equals(CONVENTION)) {
      return Optional.empty();
    }
    if (transport == null) {
      Set<String> known = new TreeSet<>(Set.of(PROTOCOL, CONVENTION));
      byProtocol.values().forEach(t -> known.addAll(t.keys()));
      return known.contains(key) ? Optional.empty()
          : Optional.of(new BindingInput.Problem(key, "is not a binding key " + known));
    }
    if (transport.keys().contains(key)) {
      return Optional.empty();
    }
    List<String> owners = byProtocol.values().stream().filter(t -> t.keys().contains(key))
        .map(Transport::protocol).toList();
    if (!owners.isEmpty()) {
      return Optional.of(new BindingInput.Problem(key, "is for " + oneOf(owners) + " bindings, not "
          + transport.protocol()));
    }
    Set<String> known = new TreeSet<>(transport.keys());
    known.add(PROTOCOL);
    known.add(CONVENTION);
    return Optional.of(new BindingInput.Problem(key, "is not a binding key " + known));
  }

  /** {@code a}, {@code a or b}, {@code a, b or c}. */
  private static String oneOf(List<String> names) {
    if (names.size() <= 1) {
      return String.join("", names);
    }
    return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
  }

  /** The stored form of a binding: {@code protocol}, {@code convention}, then the transport's own keys. */
  public Map<String, Object> toStored(Binding binding) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(PROTOCOL, binding.protocol());
    out.put(CONVENTION, binding.convention());
    out.putAll(forBinding(binding).toStored(binding));
    return out;
  }

  /**
   * Reads a stored binding back.
   *
   * @throws IllegalArgumentException if its protocol has no transport
   */
  public Binding fromStored(Map<String, Object> stored) {
    Object protocol = stored.get(PROTOCOL);
    Transport transport = find(protocol == null ? null : protocol.toString())
        .orElseThrow(() -> new IllegalArgumentException("stored binding with unknown protocol '" + protocol
            + "' (known: " + String.join(", ", protocols()) + ")"));
    Object convention = stored.get(CONVENTION);
    return transport.fromStored(convention == null ? null : convention.toString(), stored);
  }

  /** What a device registered through the API needs: see {@link Transport#prepare}. */
  public Transport.NewDevice prepare(DeviceDefinition device) {
    return forBinding(device.binding()).prepare(device);
  }

  /**
   * What the device's binding can carry for its profile (see {@link Transport#supports}); the
   * whole profile when its protocol has no transport here.
   */
  public Supports supports(DeviceDefinition device, Profile profile) {
    return find(device.binding().protocol()).map(t -> t.supports(device, profile))
        .orElseGet(() -> Supports.all(profile));
  }

  /** Tells the device's transport it is registered (at start for every device, then on each add). */
  public void deviceRegistered(DeviceDefinition device) {
    find(device.binding().protocol()).ifPresent(t -> t.deviceRegistered(device));
  }

  /** Tells the device's transport it was removed. */
  public void deviceRemoved(DeviceDefinition device) {
    find(device.binding().protocol()).ifPresent(t -> t.deviceRemoved(device));
  }
}
