package io.hearth.gateway.registry;

import io.hearth.adapter.Supports;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.hearth.gateway.domain.DeviceNotFoundException;
import io.hearth.gateway.domain.FieldError;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.store.AsyncStore;
import io.hearth.gateway.store.StoredDevice;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices Hearth knows. {@code devices.yaml} entries are re-read at each start (the file wins
 * for them, unless the owner deleted one through the API); devices registered through the API
 * live in the store. Every change is durable before it is visible. Used on the core context only.
 */
public final class DeviceRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistry.class);

  private final Map<String, Profile> profiles;
  private final AsyncStore store;
  private final BiFunction<DeviceDefinition, Profile, Supports> supports;
  private final Map<String, RegisteredDevice> devices = new LinkedHashMap<>();
  private final Set<String> reserved = new java.util.HashSet<>();
  private final List<RegistryListener> listeners = new ArrayList<>();

  /** A registry whose bindings carry their whole profile (see the other constructor). */
  public DeviceRegistry(Map<String, Profile> profiles, AsyncStore store) {
    this(profiles, store, (device, profile) -> Supports.all(profile));
  }

  /**
   * @param supports what a device's binding can carry for its profile (the transports' answer),
   *                 asked once when the device is registered
   */
  public DeviceRegistry(Map<String, Profile> profiles, AsyncStore store,
      BiFunction<DeviceDefinition, Profile, Supports> supports) {
    this.profiles = Map.copyOf(Objects.requireNonNull(profiles, "profiles"));
    this.store = Objects.requireNonNull(store, "store");
    this.supports = Objects.requireNonNull(supports, "supports");
  }

  /**
   * A device with its profile, and what its binding can carry of that profile (the device view's
   * {@code supports}; a command outside it is refused before it is recorded).
   */
  public record RegisteredDevice(DeviceDefinition definition, Profile profile, boolean fromConfig,
      Supports supports) {
    public RegisteredDevice {
      Objects.requireNonNull(supports, "supports");
    }

    /** A device whose binding carries its whole profile. */
    public RegisteredDevice(DeviceDefinition definition, Profile profile, boolean fromConfig) {
      this(definition, profile, fromConfig, Supports.all(profile));
    }

    public String id() {
      return definition.id();
    }
  }

  private RegisteredDevice registered(DeviceDefinition def, Profile profile, boolean fromConfig) {
    return new RegisteredDevice(def, profile, fromConfig, supports.apply(def, profile));
  }

  /** Told of every change after it is durable. */
  public interface RegistryListener {
    void added(RegisteredDevice device);

    void removed(RegisteredDevice device);
  }

  public void addListener(RegistryListener listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  public Map<String, Profile> profiles() {
    return profiles;
  }

  /**
   * Loads the stored registry and merges the config file's devices into it (config wins for its
   * own ids; a config device the owner deleted stays deleted). Fails if a stored device names a
   * profile that no longer exists.
   */
  public Future<Void> load(List<DeviceDefinition> fromConfig) {
    return store.call(s -> {
      Set<String> removed = s.devices().removedConfigIds();
      Map<String, StoredDevice> stored = new LinkedHashMap<>();
      s.devices().load().forEach(d -> stored.put(d.definition().id(), d));
      Set<String> configIds = new java.util.HashSet<>();
      List<StoredDevice> changed = new java.util.ArrayList<>();
      for (DeviceDefinition def : fromConfig) {
        configIds.add(def.id());
        if (removed.contains(def.id())) {
          continue;
        }
        StoredDevice previous = stored.get(def.id());
        StoredDevice now = new StoredDevice(def, true);
        if (previous == null || !previous.equals(now)) {
          changed.add(now);
        }
        stored.put(def.id(), now);
      }
      s.devices().upsertAll(changed);
      // a config device dropped from the file is dropped from the registry too
      for (StoredDevice d : List.copyOf(stored.values())) {
        if (d.fromConfig() && !configIds.contains(d.definition().id())) {
          s.devices().delete(d.definition().id(), false);
          stored.remove(d.definition().id());
        }
      }
      return stored.values();
    }).map(all -> {
      for (StoredDevice d : all) {
        Profile p = profiles.get(d.definition().profileId());
        if (p == null) {
          throw new io.hearth.gateway.config.ConfigException("stored device '" + d.definition().id()
              + "' uses profile '" + d.definition().profileId() + "', which is no longer in the profiles folder");
        }
        devices.put(d.definition().id(), registered(d.definition(), p, d.fromConfig()));
      }
      LOG.info("registry loaded [devices: {}, fromConfig: {}]", devices.size(), fromConfig.size());
      return null;
    });
  }

  public Optional<RegisteredDevice> get(String id) {
    return Optional.ofNullable(devices.get(id));
  }

  /** The device, or a {@link DeviceNotFoundException}. */
  public RegisteredDevice require(String id) {
    RegisteredDevice d = devices.get(id);
    if (d == null) {
      throw new DeviceNotFoundException(id);
    }
    return d;
  }

  public Collection<RegisteredDevice> all() {
    return Collections.unmodifiableCollection(devices.values());
  }

  /** Registers a device through the API: durable first, then visible, then listeners. */
  public Future<RegisteredDevice> add(DeviceDefinition def) {
    if (devices.containsKey(def.id()) || reserved.contains(def.id())) {
      String taken = "device id '" + def.id() + "' is already registered";
      return Future.failedFuture(new ValidationException(taken, List.of(new FieldError("id", taken))));
    }
    Profile p = profiles.get(def.profileId());
    RegisteredDevice device = registered(def, p, false);
    reserved.add(def.id()); // the id is taken while the write is under way, but not visible yet
    return store.run(s -> s.devices().upsert(new StoredDevice(def, false)))
        .andThen(r -> reserved.remove(def.id()))
        .map(v -> {
          devices.put(def.id(), device);
          LOG.info("device registered [device: {}, profile: {}, protocol: {}]", def.id(), def.profileId(),
              def.binding().protocol());
          listeners.forEach(l -> l.added(device));
          return device;
        });
  }

  /** Removes a device: durable first, then gone, then listeners. */
  public Future<Void> remove(String id) {
    RegisteredDevice device = devices.get(id);
    if (device == null) {
      return Future.failedFuture(new DeviceNotFoundException(id));
    }
    return store.run(s -> s.devices().delete(id, device.fromConfig())).map(v -> {
      if (devices.remove(id) != null) {
        LOG.info("device removed [device: {}]", id);
        listeners.forEach(l -> l.removed(device));
      }
      return null;
    });
  }
}
