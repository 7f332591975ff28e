package io.hearth.demo;

import io.hearth.adapter.coap.CoapBinding;
import io.hearth.adapter.mqtt.MqttBinding;
import io.hearth.adapter.mqtt.MqttBridge;
import io.hearth.device.DeviceDefinition;
import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimOptions;
import io.hearth.sim.Simulator;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated device of every built-in profile, handed to the gateway as extra devices
 * ({@code Application.Builder.extraDevices}: registered like config devices, so they vanish again on a
 * start without the demo) and run by protocol-sim on the embedded broker with their own
 * credentials, so a newcomer sees a live home at once. Besides, real hardware as protocol-sim
 * simulates its firmware: a Tasmota plug ({@code demo-tasmota-plug}) and a Zigbee2MQTT bridge
 * ({@code demo-zigbee}, base topic {@code zigbee2mqtt}) with a bulb behind it ({@code demo-bulb}).
 */
final class DemoHome implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoHome.class);
  private static final String[][] DEVICES = {
      {"demo-lamp", "Demo lamp", "living", "light.dimmable"},
      {"demo-plug", "Demo plug", "living", "plug"},
      {"demo-thermostat", "Demo thermostat", "bedroom", "thermostat"},
      {"demo-climate", "Demo climate sensor", "bedroom", "sensor.climate"},
      {"demo-door", "Demo front door sensor", "hall", "sensor.contact"},
      {"demo-lock", "Demo front door lock", "hall", "lock"},
      {"demo-curtain", "Demo curtain", "living", "curtain"},
  };
  /**
   * CoAP devices of the demo, on loopback; by default on the ports {@code docs/operations.md} names
   * ({@link #DEFAULT_COAP_PORTS}), the demo takes free ones when those are in use ({@link DemoPorts}).
   */
  private static final String[][] COAP_DEVICES = {
      {"demo-porch", "Demo porch light (CoAP)", "porch", "light.dimmable"},
      {"demo-radiator", "Demo radiator (CoAP)", "bedroom", "thermostat"},
  };
  static final int[] DEFAULT_COAP_PORTS = {5701, 5702};
  static final String COAP_HOST = "127.0.0.1";

  static final String TASMOTA_PLUG = "demo-tasmota-plug";
  static final String BRIDGE = "demo-zigbee";
  static final String ZIGBEE_BULB = "demo-bulb";

  private final SecureRandom random = new SecureRandom();
  private final List<SimDeviceSpec> specs = new ArrayList<>();
  private final List<MqttBridge> bridges = new ArrayList<>();
  private final int[] coapPorts;
  private Simulator simulator;

  /** With the CoAP devices on their default ports. */
  DemoHome() {
    this(DEFAULT_COAP_PORTS);
  }

  /** With the CoAP devices on {@code coapPorts}, one per entry of {@link #COAP_DEVICES}. */
  DemoHome(int[] coapPorts) {
    if (coapPorts.length != COAP_DEVICES.length) {
      throw new IllegalArgumentException("one CoAP port per CoAP demo device");
    }
    this.coapPorts = coapPorts.clone();
  }

  /** The demo devices to register, skipping the ids in {@code taken} (those of the devices file). */
  List<DeviceDefinition> devices(Set<String> taken) {
    List<DeviceDefinition> out = new ArrayList<>();
    for (String[] d : DEVICES) {
      if (taken.contains(d[0])) {
        continue;
      }
      String password = newPassword();
      MqttBinding binding = new MqttBinding("hearth", null, new MqttBinding.Credentials(d[0], password));
      out.add(new DeviceDefinition(d[0], d[1], d[2], d[3], binding));
      specs.add(SimDeviceSpec.mqtt(d[0], d[3]).withCredentials(d[0], password).withReportIntervalMs(10_000));
    }
    for (int i = 0; i < COAP_DEVICES.length; i++) {
      String[] d = COAP_DEVICES[i];
      if (taken.contains(d[0])) {
        continue;
      }
      String uri = "coap://" + COAP_HOST + ":" + coapPorts[i];
      out.add(new DeviceDefinition(d[0], d[1], d[2], d[3], CoapBinding.hearth(uri)));
      specs.add(SimDeviceSpec.coap(d[0], d[3], uri).withReportIntervalMs(10_000));
    }
    if (!taken.contains(TASMOTA_PLUG)) {
      String password = newPassword();
      out.add(new DeviceDefinition(TASMOTA_PLUG, "Demo Tasmota plug", "office", "plug",
          new MqttBinding("tasmota", "tasmota_DE0001", new MqttBinding.Credentials(TASMOTA_PLUG, password))));
      specs.add(SimDeviceSpec.tasmota(TASMOTA_PLUG, "plug", "tasmota_DE0001", "5CCF7FDE0001")
          .withCredentials(TASMOTA_PLUG, password).withFirmware("telePeriodMs", 10_000));
    }
    if (!taken.contains(ZIGBEE_BULB)) {
      String password = newPassword();
      MqttBridge bridge = new MqttBridge(BRIDGE, MqttBridge.CONVENTION, MqttBridge.DEFAULT_BASE_TOPIC,
          new MqttBinding.Credentials(BRIDGE, password), true);
      bridges.add(bridge);
      out.add(new DeviceDefinition(ZIGBEE_BULB, "Demo Zigbee bulb", "office", "light.dimmable",
          new MqttBinding("zigbee2mqtt", "office_bulb", null, BRIDGE, bridge.baseTopic())));
      specs.add(SimDeviceSpec.zigbee2mqttBridge(BRIDGE, bridge.baseTopic(), List.of(
              SimDeviceSpec.zigbee2mqtt(ZIGBEE_BULB, "light.dimmable", "office_bulb")))
          .withCredentials(BRIDGE, password));
    }
    return out;
  }

  /** The bridges the devices of {@link #devices} are behind (call it after {@link #devices}). */
  List<MqttBridge> bridges() {
    return List.copyOf(bridges);
  }

  /** A fresh random MQTT password (URL-safe, 128 bits). */
  private String newPassword() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /**
   * Starts the simulated devices against the gateway's broker; blocks until they are connected
   * (call it from a plain thread: the simulator runs its own small Vert.x).
   */
  DemoHome start(String mqttUrl) {
    simulator = Simulator.start(SimOptions.defaults(mqttUrl), specs);
    LOG.info("demo devices running [count: {}]", specs.size());
    return this;
  }

  /** Disconnects the simulated devices; safe to call more than once. */
  @Override
  public synchronized void close() {
    Simulator s = simulator;
    simulator = null;
    if (s != null) {
      s.close();
    }
  }
}
