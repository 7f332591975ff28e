package io.hearth.fuzz;

import io.hearth.adapter.mqtt.Inbound;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.adapter.mqtt.MqttConvention;
import io.hearth.adapter.mqtt.MqttConventions;
import io.hearth.adapter.payload.MalformedPayloadException;
import io.hearth.device.DeviceDefinition;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The invariant of every MQTT convention's {@code decode} (docs/fuzzing.md): for any topic it
 * subscribes and any payload, it returns (empty, or an {@link Inbound} about this device whose
 * values are JSON-like) or throws {@link MalformedPayloadException}: nothing else.
 *
 * <p>Input layout ({@link Seed}): {@code <topic> [retained] [commanded] [profile=<id>]\n<payload>}. A topic that is
 * not one of the device's subscriptions is mapped onto one (a wildcard level filled in), so the
 * fuzzer spends its time in the payload codecs the adapter really reaches.
 */
final class MqttDecoding {
  /** Values a lossy codec may echo back (Kelvin/mired): what a device was last commanded to. */
  private static final Map<String, Object> COMMANDED = Map.of("power", true, "brightness", 60L, "color_temp", 3000L);

  private final MqttConvention convention;
  private final Map<String, DeviceDefinition> devices = new LinkedHashMap<>();

  /**
   * @param profile the device's profile when the input names none ({@code profile=<id>} in the
   *                header picks another built-in one: some conventions decode per profile)
   * @param topic   the binding's topic stem (null: the device id)
   */
  MqttDecoding(String conventionName, String deviceId, String profile, String topic) {
    this.convention = MqttConventions.forName(conventionName);
    devices.put(profile, device(conventionName, deviceId, profile, topic));
    for (String other : Profiles.BUILT_IN) {
      devices.putIfAbsent(other, device(conventionName, deviceId, other, topic));
    }
  }

  private static DeviceDefinition device(String convention, String id, String profile, String topic) {
    return new DeviceDefinition(id, null, null, profile, new MqttBinding(convention, topic, null));
  }

  void decode(byte[] input) {
    Seed seed = Seed.of(input);
    DeviceDefinition device = deviceFor(seed.value("profile"));
    List<String> subscriptions = convention.subscriptions(device);
    String topic = topicFor(subscriptions, seed.word(0));
    Map<String, Object> commanded = seed.flag("commanded") ? COMMANDED : Map.of();
    Optional<Inbound> decoded;
    try {
      decoded = convention.decode(device, topic, seed.payload(), seed.flag("retained"), Instant.EPOCH, commanded);
    } catch (MalformedPayloadException expected) {
      return;
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError(convention.name() + " decode (" + device.profileId() + ") threw " + e + " on " + topic
          + " " + seed.describe(), e);
    }
    if (decoded == null) {
      throw new AssertionError(convention.name() + " decode returned null on " + seed.describe());
    }
    decoded.ifPresent(inbound -> check(device, inbound));
  }

  /** The device with the named profile; one picked by the name when it is not a built-in one. */
  private DeviceDefinition deviceFor(String profile) {
    DeviceDefinition device = devices.get(profile == null ? "" : profile);
    if (device != null) {
      return device;
    }
    List<DeviceDefinition> all = List.copyOf(devices.values());
    return profile == null ? all.get(0) : all.get(Math.floorMod(profile.hashCode(), all.size()));
  }

  private void check(DeviceDefinition device, Inbound inbound) {
    if (!device.id().equals(inbound.deviceId())) {
      throw new AssertionError("decoded for another device: " + inbound);
    }
    if (inbound instanceof Inbound.State s) {
      JsonLike.check("state", s.report().properties());
    } else if (inbound instanceof Inbound.Event e) {
      if (e.event().name() == null || e.event().name().isEmpty()) {
        throw new AssertionError("event without a name: " + e);
      }
      JsonLike.check("event." + e.event().name(), e.event().data());
    } else if (inbound instanceof Inbound.Reply r) {
      if (r.reply().commandId() == null) {
        throw new AssertionError("reply without a command id: " + r);
      }
      JsonLike.check("reply.error", r.reply().error());
      JsonLike.check("reply.output", r.reply().output());
    } else if (inbound instanceof Inbound.Availability a) {
      JsonLike.check("availability.reason", a.reason());
    }
  }

  /** The fuzzed topic when the device subscribes it, else one of its subscriptions picked by it. */
  static String topicFor(List<String> subscriptions, String fuzzed) {
    for (String filter : subscriptions) {
      if (matches(filter, fuzzed)) {
        return fuzzed;
      }
    }
    String filter = subscriptions.get(Math.floorMod(fuzzed.hashCode(), subscriptions.size()));
    if (!filter.endsWith("/+")) {
      return filter;
    }
    String level = fuzzed.substring(fuzzed.lastIndexOf('/') + 1).replace("+", "").replace("#", "");
    return filter.substring(0, filter.length() - 1) + (level.isEmpty() ? "x" : level);
  }

  private static boolean matches(String filter, String topic) {
    if (filter.endsWith("/+")) {
      String prefix = filter.substring(0, filter.length() - 1);
      return topic.startsWith(prefix) && topic.length() > prefix.length()
          && topic.indexOf('/', prefix.length()) < 0 && !topic.contains("+") && !topic.contains("#");
    }
    return filter.equals(topic);
  }
}
