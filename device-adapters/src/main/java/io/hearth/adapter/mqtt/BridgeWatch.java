package io.hearth.adapter.mqtt;

import io.hearth.adapter.DeviceSink;
import io.hearth.adapter.Discovered;
import io.hearth.adapter.payload.JsonPayloads;
import io.hearth.adapter.payload.MalformedPayloadException;
import io.hearth.device.DeviceDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the MQTT adapter hears from Zigbee2MQTT bridges themselves (docs/conventions-mqtt.md,
 * "Bridges"): {@code <base>/bridge/state} (JSON {@code {"state":"online"}} or the legacy plain
 * {@code online}/{@code offline}; retained; the bridge's will) and {@code <base>/bridge/devices}
 * (the retained device list, turned into discovery entries by {@link Z2mDiscovery}).
 *
 * <p>A bridge going offline takes every device behind it offline with reason
 * {@value #BRIDGE_OFFLINE}; when it is back they are online again, except those whose own
 * {@code <base>/<name>/availability} says offline. While the bridge is offline a device's own
 * "online" is remembered but not passed on. Used on the adapter's context only.
 */
final class BridgeWatch {
  /** The availability reason of a device whose bridge went offline. */
  static final String BRIDGE_OFFLINE = "bridge_offline";

  private static final Logger LOG = LoggerFactory.getLogger(BridgeWatch.class);

  private final Supplier<DeviceSink> sink;
  private final Map<String, MqttBridge> bridges = new HashMap<>();
  private final Map<String, MqttBridge> byTopic = new HashMap<>(); // state and devices topics
  private final Map<String, Boolean> bridgeOnline = new HashMap<>();
  private final Map<String, Set<String>> announced = new HashMap<>(); // bridge id -> discovery keys
  private final Map<String, Member> members = new LinkedHashMap<>(); // device id -> member

  /** A device behind a bridge, with what its own availability topic last said (null: nothing yet). */
  private static final class Member {
    final String bridgeId;
    final String friendlyName;
    Boolean ownOnline;

    Member(String bridgeId, String friendlyName) {
      this.bridgeId = bridgeId;
      this.friendlyName = friendlyName;
    }
  }

  BridgeWatch(Supplier<DeviceSink> sink) {
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /** Starts watching a bridge (or replaces it); returns the topic filters to subscribe. */
  List<String> add(MqttBridge bridge) {
    remove(bridge.id());
    bridges.put(bridge.id(), bridge);
    byTopic.put(bridge.stateTopic(), bridge);
    byTopic.put(bridge.devicesTopic(), bridge);
    return filters(bridge);
  }

  /** Stops watching a bridge; returns the filters to unsubscribe. */
  List<String> remove(String bridgeId) {
    MqttBridge old = bridges.remove(bridgeId);
    if (old == null) {
      return List.of();
    }
    byTopic.remove(old.stateTopic());
    byTopic.remove(old.devicesTopic());
    bridgeOnline.remove(bridgeId);
    announced.remove(bridgeId);
    return filters(old);
  }

  /** Every bridge topic to subscribe after a (re)connect. */
  List<String> filters() {
    List<String> out = new ArrayList<>();
    bridges.values().forEach(b -> out.addAll(filters(b)));
    return out;
  }

  private static List<String> filters(MqttBridge b) {
    return List.of(b.stateTopic(), b.devicesTopic());
  }

  /** A device was attached: if it is behind a known-offline bridge, it is offline at once. */
  void attached(DeviceDefinition device) {
    members.remove(device.id());
    if (!(device.binding() instanceof MqttBinding b) || b.bridge() == null) {
      return;
    }
    members.put(device.id(), new Member(b.bridge(), MqttConvention.stem(device)));
    if (Boolean.FALSE.equals(bridgeOnline.get(b.bridge()))) {
      report(device.id(), false, BRIDGE_OFFLINE);
    }
  }

  void detached(String deviceId) {
    members.remove(deviceId);
  }

  /**
   * Handles a message on a bridge's own topics.
   *
   * @return false if the topic is not a bridge's (the adapter routes it to a device)
   * @throws MalformedPayloadException for garbage on a bridge topic
   */
  boolean onMessage(String topic, byte[] payload) {
    MqttBridge bridge = byTopic.get(topic);
    if (bridge == null) {
      return false;
    }
    if (payload.length == 0) {
      return true; // a retained message being cleared
    }
    if (topic.equals(bridge.stateTopic())) {
      bridgeState(bridge, parseState(payload));
    } else {
      bridgeDevices(bridge, payload);
    }
    return true;
  }

  /**
   * A device's own availability, through the bridge's: remembered, and passed on unless it says
   * online while the bridge is offline.
   *
   * @return what to report, or null to report nothing
   */
  Inbound.Availability filter(Inbound.Availability a) {
    Member m = members.get(a.deviceId());
    if (m == null) {
      return a;
    }
    m.ownOnline = a.online();
    return a.online() && Boolean.FALSE.equals(bridgeOnline.get(m.bridgeId)) ? null : a;
  }

  private void bridgeState(MqttBridge bridge, boolean online) {
    Boolean before = bridgeOnline.put(bridge.id(), online);
    if (Boolean.valueOf(online).equals(before)) {
      return;
    }
    LOG.info("bridge {} [bridge: {}, baseTopic: {}]", online ? "online" : "offline", bridge.id(), bridge.baseTopic());
    members.forEach((id, m) -> {
      if (!m.bridgeId.equals(bridge.id())) {
        return;
      }
      if (!online) {
        report(id, false, BRIDGE_OFFLINE);
      } else if (!Boolean.FALSE.equals(m.ownOnline)) {
        report(id, true, null);
      }
    });
  }

  private void bridgeDevices(MqttBridge bridge, byte[] payload) {
    Set<String> registered = new HashSet<>();
    members.values().stream().filter(m -> m.bridgeId.equals(bridge.id())).forEach(m -> registered.add(m.friendlyName));
    List<Discovered> found = Z2mDiscovery.parse(bridge, payload, Instant.now());
    Set<String> keys = new HashSet<>();
    DeviceSink s = sink.get();
    if (s == null) {
      return;
    }
    for (Discovered d : found) {
      if (!registered.contains(d.name())) {
        keys.add(d.key());
        LOG.debug("device discovered [bridge: {}, key: {}, profile: {}]", bridge.id(), d.key(), d.profile());
        call(() -> s.deviceDiscovered(d));
      }
    }
    Set<String> before = announced.getOrDefault(bridge.id(), Set.of());
    for (String key : before) {
      if (!keys.contains(key)) {
        LOG.debug("discovery withdrawn [bridge: {}, key: {}]", bridge.id(), key);
        call(() -> s.discoveryWithdrawn(Z2mDiscovery.source(bridge), key));
      }
    }
    announced.put(bridge.id(), keys);
  }

  /** {@code {"state":"online"}} (Zigbee2MQTT 2.x) or plain {@code online} (1.x legacy). */
  static boolean parseState(byte[] payload) {
    String state = JsonPayloads.text(payload).trim();
    if (state.startsWith("{")) {
      var s = JsonPayloads.parseObject(payload).get("state");
      if (s == null || !s.isTextual()) {
        throw new MalformedPayloadException("bridge state without a string state");
      }
      state = s.textValue();
    }
    if (state.equalsIgnoreCase("online")) {
      return true;
    }
    if (state.equalsIgnoreCase("offline")) {
      return false;
    }
    throw new MalformedPayloadException("bridge state is neither online nor offline");
  }

  private void report(String deviceId, boolean online, String reason) {
    DeviceSink s = sink.get();
    if (s != null) {
      call(() -> s.availabilityChanged(deviceId, online, reason));
    }
  }

  private static void call(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.error("device sink failed", e);
    }
  }
}
