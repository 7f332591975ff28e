package io.hearth.gateway.core;

import io.hearth.adapter.CommandReply;
import io.hearth.adapter.DeviceAdapter;
import io.hearth.adapter.DeviceEvent;
import io.hearth.adapter.DeviceSink;
import io.hearth.adapter.Discovered;
import io.hearth.adapter.StateReport;
import io.hearth.adapter.Transports;
import io.hearth.gateway.command.CommandService;
import io.hearth.gateway.discovery.PendingDevices;
import io.hearth.gateway.events.EventHub;
import io.hearth.gateway.events.GatewayEvent;
import io.hearth.gateway.registry.DeviceRegistry;
import io.hearth.gateway.registry.DeviceRegistry.RegisteredDevice;
import io.hearth.gateway.state.AvailabilityPolicy;
import io.hearth.gateway.state.AvailabilityTimeouts;
import io.hearth.gateway.state.DeviceStates;
import io.hearth.gateway.store.DeviceStateSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the legs: device reports from the adapters flow into the state tracker and the command
 * service; registry changes attach and detach devices on their adapter. It is the
 * {@link DeviceSink} every adapter is given. Used on the core context only.
 */
public final class GatewayCore implements DeviceSink, DeviceRegistry.RegistryListener {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayCore.class);
  /** The offline reason of a device whose Zigbee2MQTT bridge is offline (docs/devices.md). */
  static final String BRIDGE_OFFLINE = "bridge_offline";

  private final Vertx vertx;
  private final DeviceRegistry registry;
  private final DeviceStates states;
  private final CommandService commands;
  private final EventHub events;
  private final Transports transports;
  private final Map<String, DeviceAdapter> adapters;
  private final AvailabilityTimeouts timeouts;
  private final long graceMs;
  private final PendingDevices pending;
  private long malformedReports;

  public GatewayCore(Vertx vertx, DeviceRegistry registry, DeviceStates states, CommandService commands,
      EventHub events, Transports transports, Map<String, DeviceAdapter> adapters, AvailabilityTimeouts timeouts,
      long graceMs, PendingDevices pending) {
    this.vertx = Objects.requireNonNull(vertx);
    this.registry = Objects.requireNonNull(registry);
    this.states = Objects.requireNonNull(states);
    this.commands = Objects.requireNonNull(commands);
    this.events = Objects.requireNonNull(events);
    this.transports = Objects.requireNonNull(transports);
    this.adapters = Map.copyOf(adapters);
    this.timeouts = Objects.requireNonNull(timeouts);
    this.graceMs = graceMs;
    this.pending = Objects.requireNonNull(pending);
  }

  /**
   * Tracks every registered device with its restored state, starts the adapters and attaches the
   * devices. Devices not re-confirmed (retained state or availability, or any report) within the
   * grace period are marked offline with reason {@code restart}, except those timed out by their
   * silence ({@link AvailabilityTimeouts}), whose clock starts now.
   */
  public Future<Void> start(Map<String, DeviceStateSnapshot> restored) {
    for (RegisteredDevice d : registry.all()) {
      states.track(d.id(), restored.get(d.id()));
      timeouts.track(d.definition(), restored.get(d.id()));
      transports.deviceRegistered(d.definition());
    }
    commands.resumeWaiting();
    registry.addListener(this);
    List<Future<Void>> started = new ArrayList<>();
    for (DeviceAdapter a : adapters.values()) {
      started.add(a.start(this));
    }
    return Future.all(started).compose(v -> {
      List<Future<Void>> attached = new ArrayList<>();
      for (RegisteredDevice d : registry.all()) {
        attached.add(attach(d));
      }
      return Future.join(attached);
    }).map(v -> {
      List<String> ids = registry.all().stream().map(RegisteredDevice::id).toList();
      scheduleGrace(ids);
      timeouts.start();
      return null;
    });
  }

  /** Stops the availability check. */
  public void stop() {
    timeouts.stop();
  }

  private void scheduleGrace(List<String> ids) {
    vertx.setTimer(Math.max(1, graceMs), t -> {
      int n = states.expireUnknown(ids.stream()
          .filter(id -> registry.get(id).isPresent() && !timeouts.watches(id)).toList());
      if (n > 0) {
        LOG.info("devices not re-confirmed after start marked offline [count: {}]", n);
      }
    });
  }

  private Future<Void> attach(RegisteredDevice d) {
    DeviceAdapter a = adapter(d.definition().binding().protocol());
    if (a == null) {
      LOG.warn("no adapter for device's protocol; it stays unreachable [device: {}, protocol: {}]", d.id(),
          d.definition().binding().protocol());
      return Future.succeededFuture();
    }
    return a.attach(d.definition(), d.profile())
        .onFailure(e -> LOG.warn("attach failed [device: {}]: {}", d.id(), e.getMessage()));
  }

  /** The adapter for a protocol, or null. */
  public DeviceAdapter adapter(String protocol) {
    return adapters.get(protocol);
  }

  public Map<String, DeviceAdapter> adapters() {
    return adapters;
  }

  /** Reports dropped as unusable (no such device, garbage values). */
  public long malformedReports() {
    long dropped = malformedReports + states.rejectedValues();
    for (DeviceAdapter a : adapters.values()) {
      dropped += a.droppedMessages(); // garbage the adapters could not even decode
    }
    return dropped;
  }

  // ---- registry listener

  @Override
  public void added(RegisteredDevice device) {
    states.track(device.id(), null);
    timeouts.track(device.definition(), null);
    transports.deviceRegistered(device.definition());
    attach(device);
    scheduleGrace(List.of(device.id()));
    events.publish(GatewayEvent.DEVICE, device.id(), Map.of("change", "added"));
  }

  @Override
  public void removed(RegisteredDevice device) {
    commands.deviceRemoved(device.id());
    DeviceAdapter a = adapter(device.definition().binding().protocol());
    if (a != null) {
      a.detach(device.id());
    }
    transports.deviceRemoved(device.definition());
    states.untrack(device.id());
    timeouts.unwatch(device.id());
    events.publish(GatewayEvent.DEVICE, device.id(), Map.of("change", "removed"));
  }

  // ---- device sink (adapter context = core context)

  @Override
  public void stateReported(StateReport report) {
    var device = registry.get(report.deviceId());
    if (device.isEmpty()) {
      malformedReports++;
      return;
    }
    states.applyReport(report, device.get().profile());
    commands.stateReported(report.deviceId());
    commands.unknownReported(report);
    if (!report.retained()) { // a retained report is a replay by the broker, not the device speaking
      heard(report.deviceId());
    }
  }

  @Override
  public void availabilityChanged(String deviceId, boolean online, String reason) {
    var device = registry.get(deviceId);
    if (device.isPresent()) {
      boolean bridgeBack = online && states.view(deviceId).map(v -> BRIDGE_OFFLINE.equals(v.reason())).orElse(false);
      states.availabilityChanged(deviceId, online, reason);
      if (online && bridgeBack && AvailabilityPolicy.sleepy(device.get().definition())) {
        // its bridge is back, not the device: a sleeping device's clock starts again (as
        // Zigbee2MQTT's own timers do at its start), its waiting commands wait for the device itself
        timeouts.heard(deviceId);
      } else if (online) {
        heard(deviceId);
      }
    }
  }

  @Override
  public void commandReplied(CommandReply reply) {
    commands.replied(reply);
    if (registry.get(reply.deviceId()).isPresent()) {
      states.heard(reply.deviceId());
      heard(reply.deviceId());
    }
  }

  /**
   * Any message from a device: its availability clock starts again, and commands waiting for its
   * next wake-up ({@code deliverWhen: nextWake}) go out (docs/devices.md#availability-and-sleepy-devices).
   */
  private void heard(String deviceId) {
    timeouts.heard(deviceId);
    commands.deviceHeard(deviceId);
  }

  @Override
  public void eventEmitted(DeviceEvent event) {
    var device = registry.get(event.deviceId());
    if (device.isPresent()) {
      states.heard(event.deviceId());
      heard(event.deviceId());
    }
    if (device.isEmpty() || !device.get().profile().events().containsKey(event.name())) {
      LOG.debug("event not in profile ignored [device: {}, event: {}]", event.deviceId(), event.name());
      malformedReports++;
      return;
    }
    Map<String, Object> checked;
    try {
      checked = EventData.check(device.get().profile().events().get(event.name()), event.data());
    } catch (io.hearth.device.PropertySpec.InvalidValueException e) {
      LOG.warn("event data does not fit the profile, dropped [device: {}, event: {}, reason: {}]", event.deviceId(),
          event.name(), e.getMessage());
      malformedReports++;
      return;
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", event.name());
    data.put("data", checked);
    events.publish(GatewayEvent.EVENT, event.deviceId(), data);
  }

  @Override
  public void deviceDiscovered(Discovered device) {
    pending.offer(device);
  }

  @Override
  public void discoveryWithdrawn(String source, String key) {
    pending.withdraw(source, key);
  }

  @Override
  public void transportChanged(String protocol, boolean up) {
    // adapters report changes only; health asks the adapters themselves (DeviceAdapter.isUp)
    LOG.info("{} transport {}", protocol, up ? "up" : "down");
  }
}
