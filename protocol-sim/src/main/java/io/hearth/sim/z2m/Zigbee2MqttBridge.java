package io.hearth.sim.z2m;

import io.hearth.sim.ManagedUnit;
import io.hearth.sim.SimBridge;
import io.hearth.sim.SimDevice;
import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimOptions;
import io.hearth.sim.mqtt.Json;
import io.hearth.sim.mqtt.LinkOptions;
import io.hearth.sim.mqtt.MqttLink;
import io.hearth.sim.mqtt.Publication;
import io.hearth.sim.mqtt.ReconnectingLink;
import io.hearth.sim.support.OnContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Zigbee2MQTT 2.x bridge: one MQTT client (MQTT 3.1.1, mqtt.js's default) serving several Zigbee
 * devices, as lib/mqtt.ts connects it: will {@code <base>/bridge/state} {@code {"state":"offline"}}
 * retained (QoS 1); on connect {@code {"state":"online"}} retained, then {@code <base>/#} subscribed
 * ({@code Mqtt.onConnect}); then the Bridge extension's retained {@code bridge/info},
 * {@code bridge/devices}, {@code bridge/groups} (lib/extension/bridge.ts), each device's
 * {@code <name>/availability} (lib/extension/availability.ts) and its cached state. Device commands
 * ({@code <name>/set}, {@code /get}, {@code /set/<attribute>}) go through {@link Z2mSetHandler} as
 * lib/extension/publish.ts handles them; errors are logged on {@code <base>/bridge/logging} like the
 * Bridge extension's log transport. {@code bridge/request/health_check} and {@code permit_join} are
 * answered on {@code bridge/response/...}. Everything runs on the bridge's context.
 */
public final class Zigbee2MqttBridge implements ManagedUnit, SimBridge {

  private static final Logger LOG = LoggerFactory.getLogger(Zigbee2MqttBridge.class);
  /** lib/extension/publish.ts {@code STATE_VALUES}: a non-JSON payload that is one of these means {@code {state: payload}}. */
  private static final List<String> STATE_VALUES = List.of("on", "off", "toggle", "open", "close", "stop", "lock",
      "unlock");

  private final Vertx vertx;
  private final SimDeviceSpec spec;
  private final String base;
  private final OnContext ctx;
  private final ReconnectingLink link;
  private final Map<String, Z2mChildDevice> children = new LinkedHashMap<>();
  private final Z2mSetHandler handler = new Z2mSetHandler(this);
  private final Pattern entityTopic;
  private final String ieee;
  private String lastLogging;
  private boolean permitJoin;
  private Long permitJoinEnd;
  private long permitJoinTimer = -1;

  /**
   * @throws IllegalArgumentException for a child of a profile without a definition
   */
  public Zigbee2MqttBridge(Vertx vertx, Context context, SimOptions options, SimDeviceSpec spec) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.spec = Objects.requireNonNull(spec, "spec");
    this.base = spec.topic();
    this.ctx = new OnContext(context);
    this.entityTopic = Pattern.compile("^" + Pattern.quote(base) + "/(.+?)/(set|get)(?:/(.+))?$");
    this.ieee = String.format("0x00124b00%08x", spec.id().hashCode());
    int i = 0;
    for (SimDeviceSpec c : spec.children()) {
      Z2mChildDevice d = new Z2mChildDevice(this, vertx, context, options, c, i++);
      if (children.put(c.topic(), d) != null) {
        throw new IllegalArgumentException("two devices named " + c.topic() + " behind bridge " + spec.id());
      }
    }
    boolean legacy = Boolean.TRUE.equals(spec.firmware("legacyAvailabilityPayload", false));
    byte[] offline = legacy ? bytes("offline") : bytes("{\"state\":\"offline\"}");
    Random random = new Random(spec.id().hashCode());
    String clientId = String.valueOf(spec.firmware("clientId",
        "mqttjs_" + Integer.toHexString(random.nextInt() | 0x10000000))); // mqtt.js: 'mqttjs_' + 8 random hex digits
    int version = ((Number) spec.firmware("mqttVersion", 4)).intValue();
    LinkOptions lo = new LinkOptions(clientId, version, base + "/bridge/state", offline, true, spec.username(),
        spec.password(), List.of(base + "/#"), 0, false, 60); // mqtt.js keepalive default, Zigbee2MQTT's mqtt.keepalive
    this.link = new ReconnectingLink(vertx, options, spec.id(), lo, random, this::onMessage, new Session(legacy));
  }

  /** The devices behind the bridge (the simulator lists them as its devices). */
  public List<Z2mChildDevice> children() {
    return List.copyOf(children.values());
  }

  String base() {
    return base;
  }

  Z2mChildDevice child(String friendlyNameOrIeee) {
    Z2mChildDevice d = children.get(friendlyNameOrIeee);
    if (d == null) {
      for (Z2mChildDevice c : children.values()) {
        if (c.ieee().equals(friendlyNameOrIeee)) {
          return c;
        }
      }
    }
    return d;
  }

  Vertx vertx() {
    return vertx;
  }

  @Override
  public Future<Void> start() {
    return ctx.call(() -> {
      List<Future<Void>> started = new ArrayList<>();
      for (Z2mChildDevice c : children.values()) {
        started.add(c.start());
      }
      return Future.all(started).compose(v -> link.bringUp());
    }).compose(f -> f);
  }

  /** {@code Mqtt.onConnect}, then what the extensions publish when they start. */
  private final class Session implements ReconnectingLink.Session {
    private final boolean legacy;

    Session(boolean legacy) {
      this.legacy = legacy;
    }

    @Override
    public Future<Void> onConnected(MqttLink l, boolean boot) {
      byte[] online = legacy ? bytes("online") : bytes("{\"state\":\"online\"}");
      return l.publish(new Publication(base + "/bridge/state", online, true))
          .compose(v -> l.subscribe())
          .compose(v -> {
            List<Publication> out = new ArrayList<>();
            out.add(new Publication(base + "/bridge/info", Json.writeSorted(Z2mBridgeInfo.info(
                Zigbee2MqttBridge.this, l, permitJoin, permitJoinEnd)), true));
            out.add(new Publication(base + "/bridge/devices", Json.writeSorted(Z2mBridgeInfo.devices(
                Zigbee2MqttBridge.this)), true));
            out.add(new Publication(base + "/bridge/groups", bytes("[]"), true));
            for (Z2mChildDevice c : children.values()) {
              out.add(availability(c));
            }
            for (Z2mChildDevice c : children.values()) {
              if (c.available()) {
                out.add(state(c, null));
              }
            }
            return l.publishAll(out);
          });
    }

    @Override
    public List<Publication> goodbye() { // Mqtt.disconnect
      return List.of(new Publication(base + "/bridge/state",
          legacy ? bytes("offline") : bytes("{\"state\":\"offline\"}"), true));
    }
  }

  // ---- inbound ----

  private void onMessage(MqttPublishMessage msg) {
    String topic = msg.topicName();
    String payload = msg.payload().toString(StandardCharsets.UTF_8);
    if (topic.startsWith(base + "/bridge/request/")) {
      Z2mBridgeInfo.request(this, topic, topic.substring((base + "/bridge/request/").length()), payload);
      return;
    }
    Matcher m = entityTopic.matcher(topic);
    if (!m.matches()) {
      return; // our own publications and everything else under <base>/#
    }
    Z2mChildDevice d = child(m.group(1));
    if (d == null) {
      log("error", "Entity '" + m.group(1) + "' is unknown");
      return;
    }
    Map<String, Object> message = parseMessage(m.group(3), payload);
    d.deviceCore().received(m.group(2) + " " + (m.group(3) == null ? payload : m.group(3) + "=" + payload));
    if (message == null) {
      log("error", "Invalid message 'undefined', skipping...");
      return;
    }
    boolean set = "set".equals(m.group(2));
    d.deviceCore().afterReplyDelay(() -> handler.handle(d, set, message));
  }

  /** {@code Publish.parseMessage}. */
  static Map<String, Object> parseMessage(String attribute, String payload) {
    if (attribute != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      try {
        m.put(attribute, new com.fasterxml.jackson.databind.ObjectMapper().readValue(payload, Object.class));
      } catch (IOException e) {
        m.put(attribute, payload);
      }
      return m;
    }
    try {
      return Json.readObject(bytes(payload));
    } catch (IOException e) {
      if (STATE_VALUES.contains(payload.toLowerCase(java.util.Locale.ROOT))) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", payload);
        return m;
      }
      return null;
    }
  }

  // ---- outbound ----

  /**
   * The Bridge extension's log transport: {@code <base>/bridge/logging}, not retained, skipping a
   * payload equal to the previous one. Zigbee2MQTT's logger hands the transport the message with its
   * namespace prefixed ({@code "z2m: ..."}, lib/util/logger.ts {@code log}) and no separate namespace
   * field, so the sorted payload is {@code {"level":"error","message":"z2m: ..."}}.
   */
  void log(String level, String message) {
    LOG.debug("zigbee2mqtt log [bridge: {}, level: {}]: {}", spec.id(), level, message);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", "z2m: " + message);
    body.put("level", level);
    String payload = new String(Json.writeSorted(body), StandardCharsets.UTF_8);
    if (!payload.equals(lastLogging)) {
      lastLogging = payload;
      link.publish(List.of(new Publication(base + "/bridge/logging", bytes(payload), false)));
    }
  }

  void publish(List<Publication> ps) {
    link.publish(ps);
  }

  /** {@code publishEntityState}: the cached state (plus {@code extra}), keys sorted, retained per the device's option. */
  private Publication state(Z2mChildDevice d, Map<String, Object> extra) {
    Map<String, Object> s = d.wireState();
    if (extra != null) {
      s.putAll(extra);
    }
    return new Publication(base + "/" + d.friendlyName(), Json.writeSorted(s), d.retain() && extra == null);
  }

  private Publication availability(Z2mChildDevice d) {
    return new Publication(base + "/" + d.friendlyName() + "/availability",
        bytes(d.available() ? "{\"state\":\"online\"}" : "{\"state\":\"offline\"}"), true);
  }

  Future<Void> publishState(Z2mChildDevice d, Map<String, Object> extra) {
    if (!link.online()) {
      return Future.succeededFuture();
    }
    return link.publishOne(state(d, extra)).recover(e -> Future.succeededFuture());
  }

  Future<Void> publishAvailability(Z2mChildDevice d) {
    if (!link.online()) {
      return Future.succeededFuture();
    }
    return link.publishOne(availability(d));
  }

  Future<Void> publishRaw(Z2mChildDevice d, String subtopic, byte[] payload) {
    String topic = base + "/" + d.friendlyName() + (subtopic == null || subtopic.isEmpty() ? "" : "/" + subtopic);
    return link.publishOne(new Publication(topic, payload, false));
  }

  /** {@code permit_join}: bridge/info shows it; it ends by itself after {@code seconds}. */
  void permitJoin(int seconds) {
    vertx.cancelTimer(permitJoinTimer);
    permitJoin = seconds > 0;
    permitJoinEnd = seconds > 0 ? System.currentTimeMillis() + seconds * 1000L : null;
    republishInfo();
    if (seconds > 0) {
      permitJoinTimer = vertx.setTimer(seconds * 1000L, t -> permitJoin(0));
    }
  }

  private void republishInfo() {
    link.publish(List.of(new Publication(base + "/bridge/info", Json.writeSorted(Z2mBridgeInfo.info(this, null,
        permitJoin, permitJoinEnd)), true)));
  }

  String coordinatorIeee() {
    return ieee;
  }

  // ---- SimBridge / ManagedUnit ----

  @Override
  public String id() {
    return spec.id();
  }

  @Override
  public String baseTopic() {
    return base;
  }

  @Override
  public String clientId() {
    return link.clientId();
  }

  @Override
  public List<SimDevice> devices() {
    return List.copyOf(children.values());
  }

  @Override
  public boolean online() {
    return link.online();
  }

  @Override
  public String lastError() {
    return link.lastError();
  }

  @Override
  public void goOffline(boolean withWill) {
    ctx.awaitFuture(ctx.call(() -> link.goOffline(withWill)).compose(f -> f));
  }

  @Override
  public void goOnline() {
    ctx.awaitFuture(ctx.call(link::bringUp).compose(f -> f));
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    for (Z2mChildDevice c : children.values()) {
      closing.add(c.close());
    }
    return Future.join(closing).transform(ar -> ctx.call(() -> {
      vertx.cancelTimer(permitJoinTimer);
      return link.close();
    }).compose(f -> f)).recover(e -> Future.succeededFuture());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
