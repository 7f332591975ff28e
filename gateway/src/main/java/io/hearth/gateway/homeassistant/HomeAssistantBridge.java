package io.hearth.gateway.homeassistant;

import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.adapter.mqtt.TopicPermissions;
import io.hearth.gateway.command.CommandRequest;
import io.hearth.gateway.command.CommandResult;
import io.hearth.gateway.command.CommandService;
import io.hearth.gateway.config.ConfigException;
import io.hearth.gateway.domain.RateLimitedException;
import io.hearth.gateway.events.EventHub;
import io.hearth.gateway.events.GatewayEvent;
import io.hearth.gateway.registry.DeviceRegistry;
import io.hearth.gateway.registry.DeviceRegistry.RegisteredDevice;
import io.hearth.gateway.security.Principal;
import io.hearth.gateway.security.Role;
import io.hearth.gateway.state.Availability;
import io.hearth.gateway.state.DeviceStates;
import io.hearth.gateway.state.DeviceView;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Home Assistant interop by MQTT discovery (docs/home-assistant.md): publishes one device-based
 * discovery config per device, each device's state and availability, and the gateway's status;
 * republishes all of it on every (re)connect and whenever Home Assistant announces itself
 * ({@code <prefix>/status} = {@code online}); follows devices added and removed; and takes Home
 * Assistant's commands through the command service like any app's, as a {@code member} with its
 * own command budget. Listens to the gateway's events; runs on the core context.
 */
public final class HomeAssistantBridge {
  /** Who Home Assistant's commands come from: a member (every device, no management), its own budget. */
  public static final Principal PRINCIPAL = new Principal("home-assistant", "Home Assistant", Role.MEMBER,
      id -> true, "home-assistant");
  /** The broker account id of Home Assistant's user (not a valid device id, so no device can revoke it). */
  static final String ACCOUNT = "$home-assistant";
  private static final Logger LOG = LoggerFactory.getLogger(HomeAssistantBridge.class);

  private final Context context;
  private final HomeAssistantSettings settings;
  private final DeviceRegistry registry;
  private final DeviceStates states;
  private final CommandService commands;
  private final EventHub events;
  private final ToLongFunction<Principal> budget;
  private final HaTopics topics;
  private final HaPayloads.Origin origin;
  private final Consumer<GatewayEvent> listener = this::onEvent;
  private final Map<String, List<HaEntity>> published = new HashMap<>();
  /** Devices are republished this many per event-loop turn at most. */
  static final int PUBLISH_BATCH = 50;
  private java.util.Deque<String> republish = new java.util.ArrayDeque<>();
  /** At most one rate-limit warning this often. */
  static final long RATE_WARN_EVERY_MS = 10_000;
  private long lastRateWarn;
  private long rateLimitedSinceWarn;
  private HaLink link;
  private boolean admitted;

  /**
   * @param budget takes one command from a principal's budget: 0 to go on, else seconds to wait
   *               (the app API's per-session command limit, docs/security.md)
   */
  public HomeAssistantBridge(Context context, HomeAssistantSettings settings, DeviceRegistry registry,
      DeviceStates states, CommandService commands, EventHub events, ToLongFunction<Principal> budget) {
    this.context = Objects.requireNonNull(context, "context");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.states = Objects.requireNonNull(states, "states");
    this.commands = Objects.requireNonNull(commands, "commands");
    this.events = Objects.requireNonNull(events, "events");
    this.budget = Objects.requireNonNull(budget, "budget");
    this.topics = new HaTopics(settings.config().discoveryPrefix(), settings.config().baseTopic());
    this.origin = new HaPayloads.Origin("hearth_hub_" + settings.installationId(), settings.version());
  }

  /** What Home Assistant's user may do on the embedded broker: exactly its topics. */
  static TopicPermissions permissions(HaTopics topics) {
    return new TopicPermissions(
        List.of(topics.haStatus(), topics.base() + "/+/+/set", topics.base() + "/+/+/+/set"),
        List.of(topics.prefix() + "/#", topics.base() + "/#"));
  }

  /** Lets Home Assistant's user into the embedded broker, then connects; fails on a taken user name. */
  public Future<Void> start() {
    var accounts = settings.accounts();
    if (accounts != null) {
      String user = settings.config().username();
      if (accounts.usernameTaken(user)) {
        return Future.failedFuture(new ConfigException("config key 'homeAssistant.username': '" + user
            + "' is already a device's or the gateway's broker user; choose another"));
      }
      accounts.admit(ACCOUNT, new MqttBinding.Credentials(user, settings.config().password()), permissions(topics));
      admitted = true;
    }
    events.addListener(listener);
    link = new HaLink(context, settings.link().get(), topics.gatewayStatus(), new HaLink.Listener() {
      @Override
      public void connected() {
        publishAll("connected");
      }

      @Override
      public void message(String topic, String payload) {
        onMessage(topic, payload);
      }

      @Override
      public void drained() {
        pump();
      }
    });
    link.subscribeOnConnect(topics.subscriptions());
    return link.start();
  }

  /** Publishes {@code offline} on the gateway's status, disconnects, and locks Home Assistant's user out. */
  public Future<Void> stop() {
    events.removeListener(listener);
    if (admitted) {
      settings.accounts().revoke(ACCOUNT, settings.config().username());
      admitted = false;
    }
    return link == null ? Future.succeededFuture() : link.stop();
  }

  /** True while the bridge's MQTT link is up. */
  public boolean isConnected() {
    return link != null && link.isConnected();
  }

  // ---- publishing

  /**
   * Publishes the hub and then every device, a batch at a time as the link's queue drains, so that
   * neither the event loop nor the queue holds thousands of configs at once. A new request starts
   * over (a device published twice costs only a repeated retained message).
   */
  private void publishAll(String why) {
    link.publish(topics.config(origin.hubId()), HaPayloads.hubConfig(topics, origin), true);
    republish = new java.util.ArrayDeque<>(registry.all().stream().map(RegisteredDevice::id).toList());
    LOG.info("Home Assistant discovery publishing [devices: {}, why: {}]", republish.size(), why);
    pump();
  }

  /** Queues the next devices of a republish while the link's queue is short. */
  private void pump() {
    int batch = 0;
    while (!republish.isEmpty() && link.queued() < HaLink.LOW_WATER && batch++ < PUBLISH_BATCH) {
      registry.get(republish.poll()).ifPresent(this::publishDevice);
    }
  }

  private void publishDevice(RegisteredDevice d) {
    String identifier = "hearth_" + settings.installationId() + "_" + d.id();
    List<HaEntity> entities = HaMapping.entities(d.id(), d.profile(), d.supports(), topics, identifier);
    published.put(d.id(), entities);
    link.publish(topics.config(d.id()),
        HaPayloads.deviceConfig(d.definition(), d.profile(), identifier, entities, topics, origin), true);
    publishState(d.id());
    publishAvailability(d.id());
  }

  private void publishState(String deviceId) {
    Optional<RegisteredDevice> d = registry.get(deviceId);
    Optional<DeviceView> v = states.view(deviceId);
    List<HaEntity> entities = published.get(deviceId);
    if (d.isEmpty() || v.isEmpty() || entities == null) {
      return;
    }
    Map<String, Object> state = v.get().state();
    link.publish(topics.state(deviceId), HaPayloads.state(d.get().supports().read(), state), true);
    for (HaEntity e : entities) {
      if (e.jsonLight()) {
        link.publish(topics.lightState(deviceId, e.objectId()),
            HaPayloads.lightState(state, e.config().containsKey("color_temp_kelvin")), true);
      }
    }
  }

  private void publishAvailability(String deviceId) {
    boolean online = states.availability(deviceId) == Availability.ONLINE;
    link.publish(topics.availability(deviceId), HaPayloads.text(online ? "online" : "offline"), true);
  }

  /** A removed device: empty retained payloads clear its config (Home Assistant removes it), state and availability. */
  private void unpublish(String deviceId) {
    List<HaEntity> entities = published.remove(deviceId);
    byte[] empty = new byte[0];
    link.publish(topics.config(deviceId), empty, true);
    link.publish(topics.state(deviceId), empty, true);
    link.publish(topics.availability(deviceId), empty, true);
    if (entities != null) {
      entities.stream().filter(HaEntity::jsonLight)
          .forEach(e -> link.publish(topics.lightState(deviceId, e.objectId()), empty, true));
    }
    LOG.info("Home Assistant discovery removed [device: {}]", deviceId);
  }

  private void onEvent(GatewayEvent e) {
    switch (e.kind()) {
      case GatewayEvent.STATE -> publishState(e.deviceId());
      case GatewayEvent.AVAILABILITY -> publishAvailability(e.deviceId());
      case GatewayEvent.DEVICE -> {
        if ("removed".equals(e.data().get("change"))) {
          unpublish(e.deviceId());
        } else {
          registry.get(e.deviceId()).ifPresent(this::publishDevice);
        }
      }
      default -> {
        // commands and device events: Home Assistant sees their effect in the state
      }
    }
  }

  /** A burst past the budget: one warning per {@link #RATE_WARN_EVERY_MS} with the count, the rest at debug. */
  private void rateLimited(HaTopics.CommandTopic c) {
    rateLimitedSinceWarn++;
    long now = System.nanoTime();
    if (lastRateWarn == 0 || now - lastRateWarn >= RATE_WARN_EVERY_MS * 1_000_000L) {
      LOG.warn("commands from Home Assistant refused, nothing sent: too many commands from this session"
          + " [refused: {}, last device: {}, component: {}]", rateLimitedSinceWarn, c.deviceId(), c.objectId());
      lastRateWarn = now;
      rateLimitedSinceWarn = 0;
    } else {
      LOG.debug("command from Home Assistant rate limited [device: {}, component: {}]", c.deviceId(), c.objectId());
    }
  }

  // ---- Home Assistant's messages

  private void onMessage(String topic, String payload) {
    if (topic.equals(topics.haStatus())) {
      if (payload.trim().equals("online")) {
        publishAll("Home Assistant online");
      }
      return;
    }
    Optional<HaTopics.CommandTopic> ct = topics.parseCommand(topic);
    if (ct.isEmpty()) {
      return;
    }
    HaTopics.CommandTopic c = ct.get();
    HaEntity.Parser parser = Optional.ofNullable(published.get(c.deviceId())).flatMap(list -> list.stream()
        .filter(e -> e.objectId().equals(c.objectId())).findFirst()).map(e -> e.commands().get(c.kind()))
        .orElse(null);
    if (parser == null || !PRINCIPAL.canSee().test(c.deviceId())) {
      LOG.warn("command from Home Assistant ignored: no such component [topic: {}]", topic);
      return;
    }
    CommandRequest request;
    try {
      request = parser.parse(payload);
    } catch (IllegalArgumentException e) {
      LOG.warn("command from Home Assistant refused, nothing sent [device: {}, component: {}, reason: {}]",
          c.deviceId(), c.objectId(), e.getMessage());
      publishState(c.deviceId());
      return;
    }
    commands.submit(c.deviceId(), request, null, () -> budget.applyAsLong(PRINCIPAL)).onComplete(r -> {
      if (r.failed() && r.cause() instanceof RateLimitedException) {
        rateLimited(c);
        publishState(c.deviceId());
      } else if (r.failed()) {
        LOG.warn("command from Home Assistant refused, nothing sent [device: {}, component: {}, reason: {}]",
            c.deviceId(), c.objectId(), r.cause().getMessage());
        publishState(c.deviceId()); // Home Assistant shows the state as it is
      } else if (r.result() instanceof CommandResult.Failed f) {
        LOG.warn("command from Home Assistant failed [device: {}, command: {}, reason: {}, detail: {}]",
            c.deviceId(), f.commandId(), f.reason(), f.detail());
        publishState(c.deviceId());
      } else {
        LOG.debug("command from Home Assistant done [device: {}, command: {}, status: {}]", c.deviceId(),
            r.result().commandId(), r.result().status());
      }
    });
  }
}
