package io.hearth.adapter.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Zigbee2MQTT bridges the gateway knows, by id: filled from devices.yaml and the store before
 * any device is parsed ({@link MqttTransport} resolves {@code binding.bridge} against it), kept in
 * step with {@code POST/DELETE /bridges}. The MQTT adapter listens to it to subscribe each bridge's
 * {@code bridge/state} and {@code bridge/devices}. Thread-safe; listeners run on the caller's thread.
 */
public final class MqttBridges {

  /** Told of every bridge added (or replaced) and removed. */
  public interface Listener {
    void added(MqttBridge bridge);

    void removed(MqttBridge bridge);
  }

  private final Map<String, MqttBridge> byId = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  public Optional<MqttBridge> find(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
  }

  /** Every bridge, in id order. */
  public List<MqttBridge> all() {
    List<MqttBridge> out = new ArrayList<>(byId.values());
    out.sort((a, b) -> a.id().compareTo(b.id()));
    return out;
  }

  void put(MqttBridge bridge) {
    Objects.requireNonNull(bridge, "bridge");
    byId.put(bridge.id(), bridge);
    listeners.forEach(l -> l.added(bridge));
  }

  Optional<MqttBridge> remove(String id) {
    MqttBridge gone = byId.remove(id);
    if (gone != null) {
      listeners.forEach(l -> l.removed(gone));
    }
    return Optional.ofNullable(gone);
  }

  /** Adds a listener; it is not told of the bridges already there (read {@link #all()}). */
  public void addListener(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(Listener listener) {
    listeners.remove(listener);
  }
}
