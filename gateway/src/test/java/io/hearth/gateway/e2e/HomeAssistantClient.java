package io.hearth.gateway.e2e;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A scripted client that behaves like Home Assistant's MQTT integration: it connects with its own
 * user and a will {@code offline} on {@code <prefix>/status}, subscribes to the discovery topics
 * (the integration's {@code discovery.py} subscribes {@code <prefix>/<platform>/+/config},
 * {@code <prefix>/<platform>/+/+/config}, {@code <prefix>/device/+/config} and
 * {@code <prefix>/device/+/+/config}; {@code <prefix>/+/+/config} and {@code <prefix>/+/+/+/config}
 * cover them all), checks each
 * device-based config as the integration's discovery would (the topic's object id, {@code dev},
 * {@code o}, {@code cmps}, each component's {@code p} and {@code unique_id}, its command and state
 * topics), subscribes to the state topics the configs name, announces itself with {@code online}
 * and publishes commands on the command topics.
 */
final class HomeAssistantClient implements AutoCloseable {
  /** The platforms Home Assistant's MQTT integration discovers (a subset: the ones Hearth may use). */
  static final Set<String> PLATFORMS = Set.of("binary_sensor", "button", "climate", "cover", "event", "light",
      "lock", "number", "select", "sensor", "switch", "text");
  private static final Pattern OBJECT_ID = Pattern.compile("[a-zA-Z0-9_-]+");
  /** What a device config's root may hold: dev, o, cmps and the options components inherit (discovery.py). */
  static final Set<String> ROOT_KEYS = Set.of("dev", "o", "cmps", "availability", "availability_mode",
      "availability_template", "availability_topic", "payload_available", "payload_not_available", "command_topic",
      "state_topic");

  /** One message as received. */
  record Msg(String topic, String payload, boolean retained) {}

  private final String prefix;
  private final MqttClient client;
  private final Map<String, Msg> latest = new ConcurrentHashMap<>();
  private final List<Msg> all = new CopyOnWriteArrayList<>();
  private final Set<String> subscribed = ConcurrentHashMap.newKeySet();

  HomeAssistantClient(String url, String prefix, String username, String password) {
    this.prefix = prefix;
    try {
      client = new MqttClient(url, "ha-" + System.nanoTime(), new MemoryPersistence());
      client.setCallback(new MqttCallback() {
        @Override
        public void disconnected(MqttDisconnectResponse r) { }

        @Override
        public void mqttErrorOccurred(MqttException e) { }

        @Override
        public void messageArrived(String topic, MqttMessage m) {
          Msg msg = new Msg(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.isRetained());
          latest.put(topic, msg);
          all.add(msg);
        }

        @Override
        public void deliveryComplete(IMqttToken t) { }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) { }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties p) { }
      });
      MqttConnectionOptions o = new MqttConnectionOptions();
      if (username != null) {
        o.setUserName(username);
        o.setPassword(password.getBytes(StandardCharsets.UTF_8));
      }
      o.setCleanStart(true);
      o.setConnectionTimeout(10);
      o.setWill(prefix + "/status", new MqttMessage("offline".getBytes(StandardCharsets.UTF_8)));
      client.connect(o);
      subscribe(prefix + "/+/+/config", prefix + "/+/+/+/config", prefix + "/status");
    } catch (MqttException e) {
      throw new IllegalStateException("Home Assistant client cannot connect to " + url + ": " + e, e);
    }
  }

  /** Subscribes; returns the SUBACK reason codes (≥ 0x80: refused). */
  int[] subscribe(String... filters) {
    try {
      MqttSubscription[] subs = new MqttSubscription[filters.length];
      for (int i = 0; i < filters.length; i++) {
        subs[i] = new MqttSubscription(filters[i], 1);
      }
      IMqttToken t = client.subscribe(subs);
      subscribed.addAll(List.of(filters));
      return t.getReasonCodes();
    } catch (MqttException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Home Assistant's birth message: {@code <prefix>/status} = {@code online} (not retained, as HA sends it). */
  void birth() {
    publish(prefix + "/status", "online", false);
  }

  void publish(String topic, String payload, boolean retained) {
    try {
      client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, retained);
    } catch (MqttException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The device's discovery config once it arrived (non-empty), checked as Home Assistant would. */
  JsonObject awaitConfig(String objectId) {
    String topic = prefix + "/device/" + objectId + "/config";
    Msg m = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> latest.get(topic), x -> x != null && !x.payload().isEmpty());
    JsonObject cfg = new JsonObject(m.payload());
    List<String> problems = problems(objectId, cfg);
    if (!problems.isEmpty()) {
      throw new AssertionError("Home Assistant would refuse " + topic + ": " + problems + " in " + cfg.encode());
    }
    return cfg;
  }

  /** Subscribes to every state topic a config names, as the integration does for its entities. */
  void follow(JsonObject cfg) {
    List<String> topics = new ArrayList<>();
    for (Object a : cfg.getJsonArray("availability", new JsonArray())) {
      topics.add(((JsonObject) a).getString("topic"));
    }
    JsonObject cmps = cfg.getJsonObject("cmps");
    for (String id : cmps.fieldNames()) {
      JsonObject c = cmps.getJsonObject(id);
      for (String key : c.fieldNames()) {
        if (key.endsWith("state_topic") || key.equals("position_topic") || key.equals("current_temperature_topic")) {
          topics.add(c.getString(key));
        }
      }
    }
    List<String> fresh = topics.stream().distinct().filter(t -> !subscribed.contains(t)).toList();
    if (!fresh.isEmpty()) {
      subscribe(fresh.toArray(String[]::new));
    }
  }

  /** What Home Assistant's discovery would object to in a device-based config. */
  static List<String> problems(String objectId, JsonObject cfg) {
    List<String> p = new ArrayList<>();
    if (!OBJECT_ID.matcher(objectId).matches()) {
      p.add("object id " + objectId + " has characters outside [a-zA-Z0-9_-]");
    }
    JsonObject dev = cfg.getJsonObject("dev");
    if (dev == null || dev.getJsonArray("identifiers", new JsonArray()).isEmpty() || dev.getString("name") == null) {
      p.add("dev needs identifiers and a name");
    }
    JsonObject o = cfg.getJsonObject("o");
    if (o == null || o.getString("name") == null) {
      p.add("o (origin) with a name is required for device-based discovery");
    }
    cfg.fieldNames().stream().filter(k -> !ROOT_KEYS.contains(k))
        .forEach(k -> p.add("root key " + k + " is neither required nor inherited by the components"));
    JsonObject cmps = cfg.getJsonObject("cmps");
    if (cmps == null || cmps.isEmpty()) {
      p.add("cmps is required");
      return p;
    }
    Set<String> uniqueIds = new HashSet<>();
    for (String id : cmps.fieldNames()) {
      JsonObject c = cmps.getJsonObject(id);
      String platform = c.getString("p");
      if (!PLATFORMS.contains(platform)) {
        p.add(id + ": platform '" + platform + "' is not one Home Assistant discovers");
      }
      String uid = c.getString("unique_id");
      if (uid == null || !uniqueIds.add(uid)) {
        p.add(id + ": unique_id missing or repeated");
      }
      for (String key : c.fieldNames()) {
        if (key.endsWith("topic")) {
          String t = c.getString(key);
          if (t == null || t.isEmpty() || t.contains("+") || t.contains("#")) {
            p.add(id + ": " + key + " is not a plain topic: " + t);
          }
        }
      }
      boolean needsCommand = Set.of("light", "lock", "switch", "select", "number").contains(platform);
      if (needsCommand && c.getString("command_topic") == null) {
        p.add(id + ": " + platform + " needs command_topic");
      }
      if (Set.of("sensor", "binary_sensor").contains(platform) && c.getString("state_topic") == null) {
        p.add(id + ": " + platform + " needs state_topic");
      }
      if ("light".equals(platform) && !"json".equals(c.getString("schema"))) {
        p.add(id + ": light expected with schema json");
      }
      if ("select".equals(platform) && c.getJsonArray("options", new JsonArray()).isEmpty()) {
        p.add(id + ": select needs options");
      }
    }
    return p;
  }

  /** The latest message on a topic, or null. */
  Msg latest(String topic) {
    return latest.get(topic);
  }

  /** Waits until the latest payload on {@code topic} is JSON matching {@code condition}; returns it. */
  JsonObject awaitJson(String topic, java.util.function.Predicate<JsonObject> condition) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
      Msg m = latest.get(topic);
      return m == null || m.payload().isEmpty() ? null : new JsonObject(m.payload());
    }, j -> j != null && condition.test(j));
  }

  /** Waits until the latest payload on {@code topic} equals {@code payload}. */
  Msg awaitPayload(String topic, String payload) {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> latest.get(topic), m -> m != null && m.payload().equals(payload));
  }

  /** Every message received so far. */
  List<Msg> received() {
    return List.copyOf(all);
  }

  /** Forgets what was received. */
  void clear() {
    latest.clear();
    all.clear();
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect();
      }
      client.close();
    } catch (MqttException e) {
      // closing anyway
    }
  }
}
