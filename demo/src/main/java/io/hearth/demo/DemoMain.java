package io.hearth.demo;

import io.hearth.device.DeviceDefinition;
import io.hearth.gateway.Application;
import io.hearth.gateway.GatewayTransports;
import io.hearth.gateway.Main;
import io.hearth.gateway.config.ConfigException;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.profile.ProfileLoader;
import io.hearth.gateway.registry.DeviceFile;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code java -jar hearth-demo.jar [--config FILE]}: the gateway exactly as {@code hearth-gateway.jar}
 * runs it (same options, ready line, pairing code, SIGTERM handling: {@link Main}), plus a
 * simulated device of every built-in profile, a Tasmota plug and a Zigbee2MQTT bulb behind its bridge
 * ({@link DemoHome}) once it is up. Runs from any folder like the gateway; a default port in use is
 * swapped for a free one and logged ({@link DemoPorts}).
 */
public final class DemoMain {
  private DemoMain() {}

  public static void main(String[] args) {
    DemoPorts ports = new DemoPorts();
    GatewayConfig config = ports.free(Main.config(args, "hearth-demo.jar"));
    int[] coapPorts = new int[DemoHome.DEFAULT_COAP_PORTS.length];
    for (int i = 0; i < coapPorts.length; i++) {
      coapPorts[i] = ports.udp("demo CoAP device port", DemoHome.COAP_HOST, DemoHome.DEFAULT_COAP_PORTS[i]);
    }
    DemoHome home = new DemoHome(coapPorts);
    Application app = Application.builder(config).extraDevices(home.devices(fileIds(config)))
        .extraBridges(home.bridges()).build();
    Main.run(app, a -> home.start(a.mqttUrl()));
  }

  /** The ids the devices file uses; none if it does not load (the gateway's start then says why). */
  static Set<String> fileIds(GatewayConfig config) {
    if (config.devices() == null) {
      return Set.of();
    }
    try {
      return DeviceFile.load(config.devices(), ProfileLoader.withBuiltIns(config.profiles()),
          GatewayTransports.forReading()).stream()
          .map(DeviceDefinition::id).collect(Collectors.toSet());
    } catch (ConfigException e) {
      return Set.of();
    }
  }
}
