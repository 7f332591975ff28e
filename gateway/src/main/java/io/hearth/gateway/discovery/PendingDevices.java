package io.hearth.gateway.discovery;

import io.hearth.adapter.Discovered;
import io.hearth.adapter.Transports;
import io.hearth.device.DeviceDefinition;
import io.hearth.gateway.registry.DeviceRegistry;
import io.hearth.gateway.registry.DeviceRegistry.RegisteredDevice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices pending approval, from every source: Tasmota discovery configs, Zigbee2MQTT bridges'
 * device lists, CoAP resource-directory registrations (docs/discovery.md). Held in memory only,
 * at most {@code discovery.maxPending} entries; a second announcement with the same source and
 * key replaces the first. An entry stops being pending once it is registered: its binding names
 * the same device as a registered one ({@code convention} + {@code topic}, + {@code bridge} when
 * it has one), or its suggested id is a registered device over the same protocol. A suggested id
 * taken by another pending entry or by an unrelated device gets a suffix ({@code -2}, {@code -3}…).
 * Entries of registered devices are kept unlisted (and dropped first when the list is full), so a
 * device deleted later is listed again.
 * Used on the core context only.
 */
public final class PendingDevices {
  /** Default of {@code discovery.maxPending}. */
  public static final int DEFAULT_MAX_PENDING = 500;
  /** Binding keys that name the device itself (not how to reach it). */
  private static final List<String> IDENTITY_KEYS = List.of("topic", "bridge");
  private static final String PROTOCOL = "protocol";
  private static final String CONVENTION = "convention";

  private static final Logger LOG = LoggerFactory.getLogger(PendingDevices.class);

  private record Key(String source, String key) {}

  private final DeviceRegistry registry;
  private final Transports transports;
  private final int maxPending;
  private final Map<Key, Discovered> entries = new LinkedHashMap<>();
  private long refused;

  public PendingDevices(DeviceRegistry registry, Transports transports, int maxPending) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.transports = Objects.requireNonNull(transports, "transports");
    if (maxPending < 1) {
      throw new IllegalArgumentException("maxPending must be at least 1");
    }
    this.maxPending = maxPending;
  }

  /**
   * A device was announced: it is pending unless it is registered already. A registered one is
   * kept (unlisted) too, so that deleting the device lists it again.
   */
  public void offer(Discovered device) {
    Objects.requireNonNull(device, "device");
    Key k = new Key(device.source(), device.key());
    Discovered previous = entries.get(k);
    if (previous == null && entries.size() >= maxPending) {
      entries.values().removeIf(this::registered);
    }
    if (previous == null && entries.size() >= maxPending) {
      refused++;
      if (Long.bitCount(refused) == 1) { // 1st, 2nd, 4th, 8th… refusal: a flood does not flood the log
        LOG.warn("pending list full: announced device not listed [source: {}, key: {}, maxPending: {}, refused: {}]",
            device.source(), device.key(), maxPending, refused);
      }
      return;
    }
    if (registered(device)) {
      entries.put(k, device);
      LOG.debug("announced device is registered [source: {}, key: {}]", device.source(), device.key());
      return;
    }
    entries.remove(k);
    Discovered listed = withFreeId(device, previous);
    entries.put(k, listed);
    if (previous == null || registered(previous)) {
      LOG.info("device pending approval [source: {}, key: {}, id: {}, profile: {}]", listed.source(), listed.key(),
          listed.suggestedId(), listed.profile());
    } else {
      LOG.debug("pending device announced again [source: {}, key: {}]", listed.source(), listed.key());
    }
  }

  /** A device announced earlier is gone from its source. */
  public void withdraw(String source, String key) {
    if (entries.remove(new Key(source, key)) != null) {
      LOG.info("pending device withdrawn [source: {}, key: {}]", source, key);
    }
  }

  /** The entries still pending, oldest first. */
  public List<Discovered> pending() {
    List<Discovered> out = new ArrayList<>();
    for (Discovered d : entries.values()) {
      if (!registered(d)) {
        out.add(d);
      }
    }
    return out;
  }

  /** The pending entry listed under that id. */
  public Optional<Discovered> byId(String id) {
    return pending().stream().filter(d -> d.suggestedId().equals(id)).findFirst();
  }

  /** Announcements not listed because the list was full. */
  public long refused() {
    return refused;
  }

  /** True if a registered device is this one (same binding identity, or same id over the same protocol). */
  boolean registered(Discovered d) {
    Object protocol = d.binding().get(PROTOCOL);
    Optional<RegisteredDevice> sameId = registry.get(d.suggestedId());
    if (sameId.isPresent() && Objects.equals(protocol, sameId.get().definition().binding().protocol())) {
      return true;
    }
    if (IDENTITY_KEYS.stream().noneMatch(d.binding()::containsKey)) {
      return false;
    }
    for (RegisteredDevice r : registry.all()) {
      if (sameDevice(d.binding(), transports.toStored(r.definition().binding()))) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameDevice(Map<String, Object> announced, Map<String, Object> stored) {
    if (!Objects.equals(str(announced.get(PROTOCOL)), str(stored.get(PROTOCOL)))
        || !Objects.equals(str(announced.get(CONVENTION)), str(stored.get(CONVENTION)))) {
      return false;
    }
    for (String key : IDENTITY_KEYS) {
      if (!Objects.equals(str(announced.get(key)), str(stored.get(key)))) {
        return false;
      }
    }
    return true;
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }

  /** The entry with a suggested id no other pending entry and no registered device holds. */
  private Discovered withFreeId(Discovered d, Discovered previous) {
    String base = previous != null && idFree(previous.suggestedId()) ? previous.suggestedId() : d.suggestedId();
    String id = base;
    for (int n = 2; !idFree(id); n++) {
      String suffix = "-" + n;
      id = (base.length() + suffix.length() > 64 ? base.substring(0, 64 - suffix.length()) : base) + suffix;
    }
    if (id.equals(d.suggestedId())) {
      return d;
    }
    if (!DeviceDefinition.isValidId(id)) {
      throw new IllegalStateException("no valid id for " + d.suggestedId());
    }
    return new Discovered(d.source(), d.key(), id, d.name(), d.profile(), d.binding(), d.details(), d.seenAt());
  }

  private boolean idFree(String id) {
    return registry.get(id).isEmpty() && entries.values().stream().noneMatch(e -> e.suggestedId().equals(id));
  }
}
