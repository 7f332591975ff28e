package io.hearth.sim.z2m;

import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimOptions;
import io.hearth.sim.behavior.Outcome;
import io.hearth.sim.support.CoreDelegatingDevice;
import io.hearth.sim.support.DeviceCore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Zigbee device behind a simulated {@link Zigbee2MqttBridge}: its behaviour (hearth units), the
 * state Zigbee2MQTT publishes for it on {@code <base>/<friendly_name>} in the converters' names and
 * units, and its availability. Runs on the bridge's context. {@link #goOffline} is the device leaving
 * the network (Zigbee2MQTT then publishes {@code {"state":"offline"}} on its availability topic);
 * the bridge's connection is untouched.
 */
public final class Z2mChildDevice extends CoreDelegatingDevice {

  private final Zigbee2MqttBridge bridge;
  private final DeviceCore core;
  private final String friendlyName;
  private final String ieee;
  private final boolean retain;
  private final List<Z2mConverters.Converter> converters;
  private final Map<String, Object> extra = new LinkedHashMap<>();
  // confined to the bridge's context
  private volatile boolean available = true;
  private int mired = -1;
  private int miredKelvin = -1;
  private int level = -1;
  private int levelPct = -1;
  private boolean jammed;

  Z2mChildDevice(Zigbee2MqttBridge bridge, Vertx vertx, Context context, SimOptions options, SimDeviceSpec spec,
      int index) {
    this.bridge = Objects.requireNonNull(bridge, "bridge");
    Z2mExposes.of(spec.profile()); // fails early for a profile without a definition
    this.core = new DeviceCore(vertx, context, options, spec, new Reports());
    this.friendlyName = spec.topic();
    this.ieee = String.valueOf(spec.firmware("ieeeAddress", String.format("0x00158d00%08x", spec.id().hashCode())));
    this.retain = Boolean.TRUE.equals(spec.firmware("retain", false))
        || "true".equals(String.valueOf(spec.firmware("retain", false)));
    this.converters = Z2mConverters.of(spec.profile());
    if ("light.dimmable".equals(spec.profile())) {
      extra.put("power_on_behavior", "on");
    }
  }

  String friendlyName() {
    return friendlyName;
  }

  String ieee() {
    return ieee;
  }

  boolean retain() {
    return retain;
  }

  boolean available() {
    return available;
  }

  List<Z2mConverters.Converter> converters() {
    return converters;
  }

  Map<String, Object> extra() {
    return extra;
  }

  DeviceCore deviceCore() {
    return core;
  }

  // ---- what the converters change ----

  boolean powered() {
    return Boolean.TRUE.equals(core.state().get("power"));
  }

  /** Applies hearth properties; a refusal throws as the device's ZCL answer would. */
  boolean apply(Map<String, Object> props) {
    Outcome o = core.set(props);
    core.refresh();
    Z2mConverters.check(o);
    return true;
  }

  boolean act(String action) {
    Outcome o = core.act(action, Map.of());
    core.refresh();
    Z2mConverters.check(o);
    return true;
  }

  /** {@code moveToColorTemp}: the bulb keeps the mired value; the behaviour gets kelvin (2000..6500). */
  boolean applyMired(int m) {
    int kelvin = Math.max(2000, Math.min(6500, (int) Math.round(1_000_000.0 / m)));
    apply(Map.of("color_temp", kelvin));
    mired = m;
    miredKelvin = kelvin;
    return true;
  }

  /** {@code moveToLevelWithOnOff}: on, at this level (1..254). */
  boolean applyLevel(int lvl) {
    int pct = (int) Math.round(lvl * 100 / 254.0);
    apply(Map.of("power", lvl > 0, "brightness", pct));
    level = lvl;
    levelPct = pct;
    return true;
  }

  /** {@code lockDoor}/{@code unlockDoor}; a jammed bolt reports {@code not_fully_locked}. */
  boolean applyLock(boolean lock) {
    Outcome o = core.set(Map.of("locked", lock));
    core.refresh();
    jammed = !o.ok() && core.faults().jammed();
    if (!jammed) {
      Z2mConverters.check(o);
    }
    return true;
  }

  /**
   * The device's state as the fromZigbee converters publish it (Zigbee2MQTT's cached state, with
   * {@code cache_state: true}): bulb {@code state}, {@code brightness} 0-254, {@code color_temp}
   * mired, {@code color_mode}; plug {@code state}, {@code power} W, {@code energy} kWh,
   * {@code voltage} V, {@code current} A; lock {@code state} + {@code lock_state}; contact
   * {@code contact} (true = closed) and {@code battery}; thermostat {@code occupied_heating_setpoint},
   * {@code local_temperature}, {@code system_mode}, {@code running_state}; cover {@code position},
   * {@code state}; and the {@code linkquality} Zigbee2MQTT adds ({@code publishEntityState}).
   */
  Map<String, Object> wireState() {
    Map<String, Object> s = core.state();
    Map<String, Object> w = new LinkedHashMap<>();
    switch (core.profile()) {
      case "light.dimmable": {
        w.put("state", onOff(s.get("power")));
        int pct = ((Number) s.get("brightness")).intValue();
        w.put("brightness", pct == levelPct ? level : (int) Math.round(pct * 254 / 100.0));
        int kelvin = ((Number) s.get("color_temp")).intValue();
        w.put("color_temp", kelvin == miredKelvin ? mired : (int) Math.round(1_000_000.0 / kelvin));
        w.put("color_mode", "color_temp");
        break;
      }
      case "plug": {
        double watts = ((Number) s.get("power_w")).doubleValue();
        w.put("state", onOff(s.get("power")));
        w.put("power", watts);
        w.put("energy", s.get("energy_kwh"));
        w.put("voltage", 230);
        w.put("current", Math.round(watts / 230.0 * 100) / 100.0);
        break;
      }
      case "lock": {
        boolean locked = Boolean.TRUE.equals(s.get("locked"));
        w.put("state", locked ? "LOCK" : "UNLOCK");
        w.put("lock_state", jammed ? "not_fully_locked" : locked ? "locked" : "unlocked");
        w.put("battery", 100);
        break;
      }
      case "sensor.contact":
        w.put("contact", !Boolean.TRUE.equals(s.get("open")));
        w.put("battery", 100);
        break;
      case "thermostat": {
        double target = ((Number) s.get("target_temp")).doubleValue();
        double current = ((Number) s.get("current_temp")).doubleValue();
        String mode = String.valueOf(s.get("mode"));
        w.put("occupied_heating_setpoint", target);
        w.put("local_temperature", current);
        w.put("system_mode", mode);
        w.put("running_state", ("heat".equals(mode) || "auto".equals(mode)) && current < target - 0.2 ? "heat"
            : ("cool".equals(mode) || "auto".equals(mode)) && current > target + 0.2 ? "cool" : "idle");
        break;
      }
      case "sensor.climate":
        w.put("temperature", s.get("temperature"));
        w.put("humidity", s.get("humidity"));
        w.put("battery", s.get("battery"));
        break;
      case "curtain": {
        int pos = ((Number) s.get("position")).intValue();
        w.put("position", pos);
        w.put("state", pos > 0 ? "OPEN" : "CLOSE");
        break;
      }
      default:
        w.putAll(s);
    }
    w.putAll(extra);
    w.put("linkquality", 120 + core.random().nextInt(60));
    return w;
  }

  private static String onOff(Object v) {
    return Boolean.TRUE.equals(v) ? "ON" : "OFF";
  }

  // ---- SimDevice ----

  @Override
  protected DeviceCore core() {
    return core;
  }

  @Override
  public Future<Void> start() {
    return core.start(Future::succeededFuture);
  }

  /** The device leaves the network (power cut or clean): Zigbee2MQTT marks it offline. */
  @Override
  public void goOffline(boolean withWill) {
    core.await(() -> {
      available = false;
      return bridge.publishAvailability(this);
    });
  }

  /** The device is back: availability online, then its state. */
  @Override
  public void goOnline() {
    core.await(() -> {
      available = true;
      return bridge.publishAvailability(this).compose(v -> bridge.publishState(this, null));
    });
  }

  /** Whether the device is available and its bridge connected. */
  @Override
  public boolean online() {
    return available && bridge.online();
  }

  @Override
  public String lastError() {
    return bridge.lastError();
  }

  /** Publishes on {@code <base>/<friendly_name>[/<subtopic>]} through the bridge. */
  @Override
  public void publishRaw(String subtopic, byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    core.await(() -> bridge.publishRaw(this, subtopic, payload));
  }

  @Override
  public Future<Void> close() {
    return core.close(Future::succeededFuture);
  }

  /** Reports through the bridge while available. */
  private final class Reports implements DeviceCore.Reports {
    @Override
    public void stateChanged(Map<String, Object> snapshot) {
      if (available) {
        bridge.publishState(Z2mChildDevice.this, null);
      }
    }

    @Override
    public void event(String name, Map<String, Object> data) {
      if (available) {
        Map<String, Object> msg = new LinkedHashMap<>(data);
        msg.put("action", name);
        bridge.publishState(Z2mChildDevice.this, msg);
      }
    }
  }
}
