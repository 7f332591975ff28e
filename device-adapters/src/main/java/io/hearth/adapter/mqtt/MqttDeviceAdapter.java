package io.hearth.adapter.mqtt;

import io.hearth.adapter.ContextCalls;
import io.hearth.adapter.DeviceAdapter;
import io.hearth.adapter.DeviceCommand;
import io.hearth.adapter.DeviceSink;
import io.hearth.adapter.payload.MalformedPayloadException;
import io.hearth.device.DeviceDefinition;
import io.hearth.device.Profile;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT {@link DeviceAdapter}: one Paho MQTT 5 connection to the broker, devices spoken to
 * through their {@link MqttConvention} ({@code hearth}, {@code tasmota}, {@code zigbee2mqtt}).
 *
 * <ul>
 *   <li>{@link #start} completes at once; the connection is made and remade in the background
 *       with backoff (a failed first connect included) and reported through
 *       {@link DeviceSink#transportChanged}{@code ("mqtt", up)}. After every (re)connect every
 *       attached device's topics are subscribed again (clean start), then {@code up} is reported.
 *   <li>{@link #send} publishes QoS 1, never retained, with an MQTT 5 message expiry taken from
 *       {@link DeviceCommand#expiresAt()}; it succeeds on PUBACK and fails if not connected.
 *   <li>Inbound payloads are decoded defensively: garbage is logged, counted
 *       ({@link #droppedMessages()}) and dropped.
 * </ul>
 * Every sink call and every future completion happens on the context given to the constructor.
 */
public final class MqttDeviceAdapter implements DeviceAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(MqttDeviceAdapter.class);
  /** How long a device attached while connected keeps its own filters for their retained messages. */
  static final long REPLAY_MS = 10_000;

  private final Context context;
  private final MqttAdapterOptions options;
  private final PahoConnection connection;
  private final Map<String, Attached> devices = new HashMap<>();
  private final TopicRouter<Attached> router = new TopicRouter<>();
  private final SubscribedFilters subscribed = new SubscribedFilters();
  private final boolean shared;
  private final AtomicLong malformed = new AtomicLong();
  private final TasmotaDiscovery tasmotaDiscovery = new TasmotaDiscovery(malformed);
  private final BridgeWatch bridgeWatch = new BridgeWatch(() -> this.sink);

  private DeviceSink sink;
  private volatile boolean up;
  private Boolean reportedUp;
  private long connectGeneration;
  /** The current connection resumed an earlier session (docs/conventions-mqtt.md, "Retained state"). */
  private boolean resumedSession;

  public MqttDeviceAdapter(Context context, MqttAdapterOptions options) {
    this(context, options, new MqttBridges(), false);
  }

  /** @param bridges the Zigbee2MQTT bridges to watch, followed as they change; each device's own filters subscribed */
  public MqttDeviceAdapter(Context context, MqttAdapterOptions options, MqttBridges bridges) {
    this(context, options, bridges, false);
  }

  /**
   * @param bridges the Zigbee2MQTT bridges to watch (docs/conventions-mqtt.md, "Bridges"), followed as they change
   * @param shared  subscribe one wildcard filter per convention topic ({@code hearth/+/state}) instead of
   *                each device's own filters (docs/conventions-mqtt.md, "Subscriptions"): for a broker
   *                that delivers a message matching several of a client's subscriptions once, as HiveMQ
   */
  public MqttDeviceAdapter(Context context, MqttAdapterOptions options, MqttBridges bridges, boolean shared) {
    this.context = Objects.requireNonNull(context, "context");
    this.options = Objects.requireNonNull(options, "options");
    this.shared = shared;
    this.connection = new PahoConnection(context, options, new ConnectionListener());
    BridgeSubscriptions.follow(bridges, context, bridgeWatch, connection);
  }

  @Override
  public Confirmation confirmation(DeviceDefinition device) {
    return MqttConventions.forDevice(device).confirmation();
  }

  @Override
  public boolean isUp() {
    return up;
  }

  /** Inbound messages dropped so far: garbage payloads, too large, or arriving faster than handled. */
  @Override
  public long droppedMessages() {
    return malformed.get() + connection.droppedInbound();
  }

  @Override
  public Future<Void> start(DeviceSink sink) {
    Objects.requireNonNull(sink, "sink");
    return onContext(() -> {
      if (this.sink != null) {
        return Future.failedFuture(new IllegalStateException("already started"));
      }
      this.sink = sink;
      return connection.start();
    });
  }

  @Override
  public Future<Void> stop() {
    return onContext(() -> {
      up = false;
      return connection.stop();
    });
  }

  @Override
  public Future<Void> attach(DeviceDefinition device, Profile profile) {
    Objects.requireNonNull(device, "device");
    return onContext(() -> {
      MqttConvention convention;
      List<String> filters;
      List<String> brokerFilters;
      try {
        convention = MqttConventions.forDevice(device);
        filters = convention.subscriptions(device);
        brokerFilters = shared ? convention.sharedSubscriptions(device) : filters;
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      Attached previous = devices.get(device.id());
      if (previous != null) {
        router.remove(previous.filters);
      }
      Attached entry = new Attached(device, convention, filters, brokerFilters);
      try {
        router.add(filters, entry);
      } catch (IllegalArgumentException e) {
        if (previous != null) {
          router.add(previous.filters, previous);
        }
        return Future.failedFuture(e);
      }
      devices.put(device.id(), entry);
      bridgeWatch.attached(device);
      List<String> added = subscribed.acquire(brokerFilters);
      if (previous != null) {
        connection.unsubscribe(subscribed.release(previous.brokerFilters));
      }
      LOG.debug("device attached [device: {}, convention: {}]", device.id(), convention.name());
      if (!connection.isConnected()) {
        return Future.succeededFuture(); // subscribed on connect
      }
      long gen = connectGeneration;
      List<String> replay = List.of();
      Future<Void> done;
      if (brokerFilters.equals(filters)) {
        done = connection.subscribe(filters, sharedId()); // (again): which replays their retained messages
      } else {
        // shared filters already held (hearth/+/state) bring no retained message of this device: its
        // own filters, subscribed for a while, replay them (docs/conventions-mqtt.md, "Subscriptions")
        if (!added.containsAll(brokerFilters)) {
          replay = filters;
        }
        done = subscribeShared(added, replay);
      }
      List<String> replaying = replay;
      return done.onSuccess(v -> replayed(replaying)).recover(e -> {
        if (gen != connectGeneration || !connection.isConnected()) {
          return Future.succeededFuture(); // connection dropped meanwhile: resubscribed on connect
        }
        if (devices.get(device.id()) == entry) {
          devices.remove(device.id());
          router.remove(filters);
          connection.unsubscribe(subscribed.release(brokerFilters));
        }
        return Future.failedFuture(e);
      });
    });
  }

  @Override
  public Future<Void> detach(String deviceId) {
    Objects.requireNonNull(deviceId, "deviceId");
    return onContext(() -> {
      Attached entry = devices.remove(deviceId);
      if (entry == null) {
        return Future.succeededFuture();
      }
      router.remove(entry.filters);
      bridgeWatch.detached(deviceId);
      LOG.debug("device detached [device: {}]", deviceId);
      return connection.unsubscribe(subscribed.release(entry.brokerFilters)).recover(e -> {
        LOG.debug("unsubscribe failed [device: {}, reason: {}]", deviceId, e.getMessage());
        return Future.succeededFuture();
      });
    });
  }

  @Override
  public Future<Void> send(DeviceCommand command) {
    Objects.requireNonNull(command, "command");
    return onContext(() -> {
      Attached entry = devices.get(command.deviceId());
      if (entry == null) {
        return Future.failedFuture(new IllegalStateException("device " + command.deviceId() + " is not attached"));
      }
      if (!up) {
        return Future.failedFuture(new IllegalStateException("MQTT broker not connected"));
      }
      if (!command.expiresAt().isAfter(Instant.now())) {
        return Future.failedFuture(new IllegalStateException("command expired before it could be sent"));
      }
      List<Outbound> publishes;
      try {
        publishes = entry.convention.encode(entry.device, command);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      if (!command.isAction()) {
        entry.commanded.putAll(command.set());
      }
      List<Future<Void>> acks = new ArrayList<>(publishes.size());
      for (Outbound o : publishes) {
        acks.add(connection.publish(o.topic(), o.payload(), command.expiresAt()));
      }
      LOG.debug("command sent [device: {}, cid: {}, publishes: {}]", command.deviceId(), command.commandId(),
          publishes.size());
      return Future.all(acks).<Void>mapEmpty();
    });
  }

  private void onMessage(String topic, byte[] payload, boolean retained) {
    if (BridgeSubscriptions.handled(bridgeWatch, topic, payload, malformed)) {
      return;
    }
    if (TasmotaDiscovery.matches(topic)) {
      tasmotaDiscovery.handle(topic, payload, sink, Instant.now());
      return;
    }
    Attached entry = router.route(topic);
    if (entry == null) {
      LOG.debug("message for no attached device [topic: {}]", topic);
      return;
    }
    Optional<Inbound> decoded;
    try {
      decoded = entry.convention.decode(entry.device, topic, payload, retained, Instant.now(), entry.commanded);
    } catch (MalformedPayloadException e) {
      long n = malformed.incrementAndGet();
      LOG.warn("malformed payload dropped [device: {}, topic: {}, bytes: {}, reason: {}, dropped: {}]",
          entry.device.id(), topic, payload.length, e.getMessage(), n);
      return;
    } catch (RuntimeException e) {
      long n = malformed.incrementAndGet();
      LOG.warn("payload could not be decoded [device: {}, topic: {}, dropped: {}]", entry.device.id(), topic, n, e);
      return;
    }
    if (decoded.isEmpty()) {
      LOG.debug("message ignored [device: {}, topic: {}]", entry.device.id(), topic);
      return;
    }
    Inbound in = decoded.get();
    if (retained && resumedSession && entry.heard && !(in instanceof Inbound.Reply)) {
      // the broker's memory, replayed on a resumed session: what the device said since the gateway
      // heard it last came (or comes) queued in the session; a broker restored from an older
      // persistence file must not roll the state back (issue 12 point 6)
      LOG.debug("retained message on a resumed session ignored [device: {}, topic: {}]", entry.device.id(), topic);
      return;
    }
    if (in instanceof Inbound.State || in instanceof Inbound.Availability) {
      entry.heard = true;
    }
    deliver(in);
  }

  private void deliver(Inbound inbound) {
    try {
      if (inbound instanceof Inbound.State s) {
        LOG.debug("state reported [device: {}, properties: {}, retained: {}]", s.deviceId(),
            s.report().properties().keySet(), s.report().retained());
        sink.stateReported(s.report());
      } else if (inbound instanceof Inbound.Reply r) {
        LOG.debug("reply received [device: {}, cid: {}, ok: {}]", r.deviceId(), r.reply().commandId(), r.reply().ok());
        sink.commandReplied(r.reply());
      } else if (inbound instanceof Inbound.Event e) {
        LOG.debug("event received [device: {}, event: {}]", e.deviceId(), e.event().name());
        sink.eventEmitted(e.event());
      } else if (inbound instanceof Inbound.Availability given && bridgeWatch.filter(given) != null) {
        Inbound.Availability a = given;
        LOG.debug("availability [device: {}, online: {}]", a.deviceId(), a.online());
        sink.availabilityChanged(a.deviceId(), a.online(), a.reason());
      }
    } catch (RuntimeException e) {
      LOG.error("device sink failed [device: {}]", inbound.deviceId(), e);
    }
  }

  /**
   * A device's own filters, subscribed beside the shared ones only so that the broker sends their
   * retained messages (a subscription replays them): dropped again after {@link #REPLAY_MS}. The
   * broker delivers a message matching both once; one it has not replayed within that time (they
   * go out right after the SUBACK) the device repeats when it next reports.
   */
  private void replayed(List<String> replay) {
    if (replay.isEmpty()) {
      return;
    }
    long gen = connectGeneration;
    context.owner().setTimer(REPLAY_MS, t -> {
      if (gen == connectGeneration) {
        connection.unsubscribe(replay);
      }
    });
  }

  /** The shared filters first held now, then a device's own for their retained messages. */
  private Future<Void> subscribeShared(List<String> added, List<String> replay) {
    Future<Void> first = added.isEmpty() ? Future.succeededFuture() : connection.subscribe(added, PahoCalls.SHARED_ID);
    return replay.isEmpty() ? first
        : Future.all(first, connection.subscribe(replay, PahoCalls.REPLAY_ID)).mapEmpty();
  }

  private Integer sharedId() {
    return shared ? PahoCalls.SHARED_ID : null;
  }

  private void onConnected() {
    long gen = ++connectGeneration;
    List<String> filters = subscribed.all();
    filters.addAll(bridgeWatch.filters());
    Future<Void> subscribed = filters.isEmpty() ? Future.succeededFuture() : connection.subscribe(filters, sharedId());
    // discovery on its own: a broker refusing it (an ACL) must not fail the devices' subscriptions
    connection.subscribe(List.of(TasmotaDiscovery.FILTER)).onFailure(e -> LOG.info(
        "Tasmota discovery not subscribed [filter: {}, reason: {}]", TasmotaDiscovery.FILTER, e.getMessage()));
    subscribed.onComplete(ar -> {
      if (gen != connectGeneration || !connection.isConnected()) {
        return;
      }
      if (ar.failed()) {
        LOG.warn("resubscribe incomplete [filters: {}, reason: {}]", filters.size(), ar.cause().getMessage());
      } else {
        LOG.info("MQTT subscriptions restored [devices: {}, filters: {}]", devices.size(), filters.size());
      }
      up = true;
      report(true);
    });
  }

  private void onDisconnected() {
    connectGeneration++;
    up = false;
    report(false);
  }

  private void report(boolean nowUp) {
    if (sink == null || Boolean.valueOf(nowUp).equals(reportedUp)) {
      return;
    }
    reportedUp = nowUp;
    try {
      sink.transportChanged(MqttBinding.PROTOCOL, nowUp);
    } catch (RuntimeException e) {
      LOG.error("device sink failed on transportChanged", e);
    }
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    return ContextCalls.onContext(context, action);
  }

  @Override
  public String toString() {
    return "MqttDeviceAdapter[" + options.serverUri() + ", clientId=" + options.clientId() + "]";
  }

  /** An attached device: its definition, convention, topic filters and last commanded values. */
  private static final class Attached {
    final DeviceDefinition device;
    final MqttConvention convention;
    final List<String> filters;
    /** What the device counts in {@link #subscribed}: its filters, or the shared filters covering them. */
    final List<String> brokerFilters;
    final Map<String, Object> commanded = new LinkedHashMap<>();
    /** A state or availability of this device was delivered during this run. */
    boolean heard;

    Attached(DeviceDefinition device, MqttConvention convention, List<String> filters, List<String> brokerFilters) {
      this.device = device;
      this.convention = convention;
      this.filters = List.copyOf(filters);
      this.brokerFilters = brokerFilters == filters ? this.filters : List.copyOf(brokerFilters);
    }

    @Override
    public String toString() {
      return "device " + device.id();
    }
  }

  private final class ConnectionListener implements PahoConnection.Listener {
    @Override
    public void connected(boolean sessionPresent) {
      resumedSession = sessionPresent;
      onConnected();
    }

    @Override
    public void disconnected(String reason) {
      onDisconnected();
    }

    @Override
    public void messageArrived(String topic, byte[] payload, boolean retained) {
      onMessage(topic, payload, retained);
    }
  }
}
