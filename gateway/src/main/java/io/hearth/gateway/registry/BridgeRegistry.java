package io.hearth.gateway.registry;

import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.adapter.mqtt.MqttBridge;
import io.hearth.adapter.mqtt.MqttTransport;
import io.hearth.gateway.store.AsyncStore;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Zigbee2MQTT bridges (docs/devices.md, "Bridges"): those of devices.yaml (already made known
 * by {@link DeviceFile}) and those registered through the API, which live in the store and are
 * loaded before the devices, so that a stored device can name its bridge. Every change is durable
 * before it is visible. Used on the core context only.
 */
public final class BridgeRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeRegistry.class);

  private final MqttTransport mqtt;
  private final AsyncStore store;
  private final Set<String> reserved = new HashSet<>();

  public BridgeRegistry(MqttTransport mqtt, AsyncStore store) {
    this.mqtt = Objects.requireNonNull(mqtt, "mqtt");
    this.store = Objects.requireNonNull(store, "store");
  }

  /** Makes the stored bridges known; a stored bridge whose id devices.yaml also declares is skipped (the file wins). */
  public Future<Void> load() {
    return store.call(s -> s.bridges().load()).map(stored -> {
      int n = 0;
      for (MqttBridge b : stored) {
        if (mqtt.bridges().find(b.id()).map(MqttBridge::fromConfig).orElse(false)) {
          LOG.info("stored bridge skipped: the devices file declares its id [bridge: {}]", b.id());
          continue;
        }
        mqtt.addBridge(b);
        n++;
      }
      LOG.info("bridges loaded [bridges: {}, stored: {}]", mqtt.bridges().all().size(), n);
      return null;
    });
  }

  public List<MqttBridge> all() {
    return mqtt.bridges().all();
  }

  public Optional<MqttBridge> get(String id) {
    return mqtt.bridges().find(id);
  }

  /** True while the id is taken, or being taken by a registration under way. */
  public boolean exists(String id) {
    return reserved.contains(id) || get(id).isPresent();
  }

  /** The ids of the registered devices behind a bridge. */
  public static List<String> devicesBehind(String bridgeId, DeviceRegistry devices) {
    return devices.all().stream()
        .filter(d -> d.definition().binding() instanceof MqttBinding b && bridgeId.equals(b.bridge()))
        .map(DeviceRegistry.RegisteredDevice::id).toList();
  }

  /** Registers a bridge (credentials already prepared): durable first, then known to the transport. */
  public Future<MqttBridge> add(MqttBridge bridge) {
    MqttBridge b = bridge.withFromConfig(false);
    reserved.add(b.id());
    return store.run(s -> s.bridges().upsert(b))
        .andThen(r -> reserved.remove(b.id()))
        .map(v -> {
          mqtt.addBridge(b);
          LOG.info("bridge registered [bridge: {}, baseTopic: {}]", b.id(), b.baseTopic());
          return b;
        });
  }

  /** Removes an API bridge: durable first, then forgotten and its account revoked. */
  public Future<Void> remove(String id) {
    return store.run(s -> s.bridges().delete(id)).map(v -> {
      mqtt.removeBridge(id);
      LOG.info("bridge removed [bridge: {}]", id);
      return null;
    });
  }
}
