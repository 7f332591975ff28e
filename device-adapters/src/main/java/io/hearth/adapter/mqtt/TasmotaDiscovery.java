package io.hearth.adapter.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.adapter.DeviceSink;
import io.hearth.adapter.Discovered;
import io.hearth.adapter.payload.JsonPayloads;
import io.hearth.adapter.payload.MalformedPayloadException;
import io.hearth.device.DeviceDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasmota discovery: the retained {@code tasmota/discovery/<MAC>/config} document Tasmota 9.2+
 * publishes (xdrv_12_discovery.ino, {@code TasDiscoverMessage}) becomes a {@link Discovered} entry
 * with a guessed profile and the binding {@code {protocol: mqtt, convention: tasmota, topic: <t>}};
 * an empty retained payload on that topic ({@code SetOption19 1}, or the retained message cleared)
 * withdraws it. Garbage is logged, counted with the adapter's other malformed payloads and dropped.
 * docs/discovery.md has the mapping. Used on the adapter's context only.
 */
final class TasmotaDiscovery {
  /** The adapter-level subscription ({@code +} in the middle: not routed by {@link TopicRouter}). */
  static final String FILTER = "tasmota/discovery/+/config";
  /** The {@link Discovered#source()} of these entries. */
  static final String SOURCE = "tasmota";
  /** Tasmota's default {@code DeviceName} and {@code FriendlyName1} (my_user_config.h, FRIENDLY_NAME). */
  private static final String DEFAULT_NAME = "Tasmota";
  /** Relay types of {@code rl} (TasDiscoverMessage): 1 relay, 2 light, 3 shutter. */
  private static final int RELAY = 1;
  private static final int LIGHT = 2;
  private static final int SHUTTER = 3;

  private static final Logger LOG = LoggerFactory.getLogger(TasmotaDiscovery.class);

  private final AtomicLong malformed;

  /** @param malformed the adapter's counter of dropped payloads */
  TasmotaDiscovery(AtomicLong malformed) {
    this.malformed = Objects.requireNonNull(malformed, "malformed");
  }

  /** True for {@code tasmota/discovery/<MAC>/config}. */
  static boolean matches(String topic) {
    String[] levels = topic.split("/", -1);
    return levels.length == 4 && levels[0].equals("tasmota") && levels[1].equals("discovery")
        && !levels[2].isEmpty() && levels[3].equals("config");
  }

  /** Hands a discovery message to the sink: announced, withdrawn, or dropped as garbage. */
  void handle(String topic, byte[] payload, DeviceSink sink, Instant now) {
    String mac = topic.split("/", -1)[2];
    if (payload.length == 0) {
      LOG.debug("Tasmota discovery cleared [mac: {}]", mac);
      toSink(() -> sink.discoveryWithdrawn(SOURCE, mac.toUpperCase(Locale.ROOT)));
      return;
    }
    Discovered d;
    try {
      d = parse(mac, payload, now);
    } catch (MalformedPayloadException e) {
      long n = malformed.incrementAndGet();
      LOG.warn("malformed payload dropped [topic: {}, bytes: {}, reason: {}, dropped: {}]", topic, payload.length,
          e.getMessage(), n);
      return;
    }
    LOG.debug("Tasmota device announced [mac: {}, topic: {}, profile: {}]", d.key(), d.binding().get("topic"),
        d.profile());
    toSink(() -> sink.deviceDiscovered(d));
  }

  private static void toSink(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.error("device sink failed on a Tasmota discovery message", e);
    }
  }

  /**
   * The entry of one discovery config.
   *
   * @param topicMac the MAC level of the topic (the key when the payload has no {@code mac})
   * @throws MalformedPayloadException if it is not a JSON object with a usable topic {@code t}
   */
  static Discovered parse(String topicMac, byte[] payload, Instant now) {
    ObjectNode o = JsonPayloads.parseObject(payload);
    String t = text(o, "t");
    if (t == null || t.isEmpty() || t.length() > 128 || !t.equals(t.trim()) || t.contains("/") || t.contains("+")
        || t.contains("#") || t.indexOf('\0') >= 0) {
      throw new MalformedPayloadException("no usable topic \"t\" in the discovery config");
    }
    String mac = text(o, "mac");
    String key = mac != null && mac.matches("[0-9A-Fa-f]{12}") ? mac.toUpperCase(Locale.ROOT) : topicMac;
    List<Integer> relays = ints(o.get("rl"));
    int lightSubtype = o.path("lt_st").asInt(0);
    String deviceName = text(o, "dn");
    String friendly = o.path("fn").isArray() ? text(o.path("fn").path(0)) : null;

    Map<String, Object> binding = new LinkedHashMap<>();
    binding.put("protocol", MqttBinding.PROTOCOL);
    binding.put("convention", TasmotaConvention.NAME);
    binding.put("topic", t);

    Map<String, Object> details = new LinkedHashMap<>();
    putIf(details, "mac", key);
    putIf(details, "ip", text(o, "ip"));
    putIf(details, "hostname", text(o, "hn"));
    putIf(details, "module", text(o, "md"));
    putIf(details, "firmware", text(o, "sw"));
    putIf(details, "deviceName", deviceName);
    List<String> names = new ArrayList<>();
    o.path("fn").forEach(n -> {
      if (n.isTextual()) {
        names.add(n.asText());
      }
    });
    details.put("friendlyNames", names);
    details.put("relays", relays.stream().filter(r -> r != 0).count());
    details.put("lightSubtype", lightSubtype);
    details.put("battery", o.path("bat").asInt(0) == 1);
    details.put("deepSleep", o.path("dslp").asInt(0) == 1);
    putIf(details, "fullTopic", text(o, "ft"));
    if (!"%prefix%/%topic%/".equals(text(o, "ft")) || !List.of("cmnd", "stat", "tele").equals(strings(o.get("tp")))) {
      details.put("note", "FullTopic or prefixes are not Tasmota's defaults; the tasmota convention expects "
          + "%prefix%/%topic%/ with cmnd, stat, tele");
    }

    String name = named(deviceName) ? deviceName : named(friendly) ? friendly : t;
    String suggested = slug(named(deviceName) ? deviceName : t);
    if (suggested == null) {
      String fromKey = slug("tasmota-" + key); // cut to 64 characters like any other slug
      suggested = fromKey == null ? "tasmota" : fromKey;
    }
    return new Discovered(SOURCE, key, suggested, name.length() > 128 ? name.substring(0, 128) : name,
        guessProfile(relays, lightSubtype), binding, details, now);
  }

  /**
   * The profile a device most likely fits: a light ({@code lt_st} ≥ 1: dimmer, CT, RGB…) is
   * {@code light.dimmable}; a shutter {@code curtain}; any other relay (with or without energy
   * monitoring) {@code plug}; a device without relays (sensors only) has no guess.
   */
  static String guessProfile(List<Integer> relays, int lightSubtype) {
    if (lightSubtype >= 1) {
      return "light.dimmable";
    }
    if (relays.contains(SHUTTER)) {
      return "curtain";
    }
    if (relays.contains(RELAY) || relays.contains(LIGHT)) {
      return "plug";
    }
    return null;
  }

  /** A valid device id from a name: lower case, other characters as {@code -}; null if nothing is left. */
  static String slug(String s) {
    if (s == null) {
      return null;
    }
    String id = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("^-+|-+$", "");
    if (id.length() > 64) {
      id = id.substring(0, 64).replaceAll("-+$", "");
    }
    return DeviceDefinition.isValidId(id) ? id : null;
  }

  private static boolean named(String s) {
    return s != null && !s.isBlank() && !s.equals(DEFAULT_NAME);
  }

  private static String text(JsonNode o, String field) {
    return text(o.get(field));
  }

  private static String text(JsonNode n) {
    return n == null || !n.isTextual() ? null : n.asText();
  }

  private static List<Integer> ints(JsonNode n) {
    List<Integer> out = new ArrayList<>();
    if (n != null && n.isArray()) {
      n.forEach(v -> out.add(v.asInt(0)));
    }
    return out;
  }

  private static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n != null && n.isArray()) {
      n.forEach(v -> out.add(v.asText()));
    }
    return out;
  }

  private static void putIf(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
