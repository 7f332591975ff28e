package io.hearth.sim.tasmota;

import io.hearth.sim.behavior.Outcome;
import java.time.Instant;
import java.util.Map;

/**
 * What Tasmota's command handlers and payload builders read and change on a simulated device (the
 * firmware's {@code TasmotaGlobal}/{@code Settings}/{@code Light} state); implemented by
 * {@link TasmotaSimDevice} on its context.
 */
interface TasmotaDevice {

  String profile();

  TasmotaSettings settings();

  /** {@code ModuleName()}: the module or template name. */
  String module();

  String ip();

  Instant bootTime();

  /** {@code Mqtt.connect_count}. */
  int connectCount();

  /** {@code TasmotaGlobal.devices_present}: 1 for a plug or bulb, 0 for a sensor-only device. */
  int relays();

  boolean light();

  boolean power();

  int dimmer();

  int ct();

  /** {@code GetPowerDevice}: {@code POWER}, or {@code POWER1} with SetOption26 (or more relays). */
  String powerKey();

  /** {@code ResponseLightState(append)}. */
  Map<String, Object> lightState(boolean append);

  /** The behaviour's state (hearth units). */
  Map<String, Object> snapshot();

  /** Applies a change in hearth units through the behaviour (faults apply). */
  Outcome apply(Map<String, Object> props);

  /** Sets the CT the firmware reports (153..500) and the matching behaviour colour temperature. */
  Outcome applyCt(int ct, Map<String, Object> alsoProps);

  /** SetOption19/26/90 changed. */
  void setOption(int option, boolean on);

  /** TelePeriod in seconds (0 = off). */
  void telePeriod(int seconds);

  long telePeriodSeconds();
}
