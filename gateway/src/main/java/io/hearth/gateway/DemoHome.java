package io.hearth.gateway;

import io.hearth.device.Binding;
import io.hearth.device.DeviceDefinition;
import io.hearth.gateway.core.DeviceCredentials;
import io.hearth.sim.SimDeviceSpec;
import io.hearth.sim.SimOptions;
import io.hearth.sim.Simulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --demo}: one simulated device of every built-in profile, registered like config devices
 * (so they vanish again on a start without {@code --demo}) and run by protocol-sim on the embedded
 * broker with their own credentials, so a newcomer sees a live home at once.
 */
final class DemoHome {
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
  /** CoAP devices of the demo, on the loopback ports of the contract's devices.yaml example. */
  private static final String[][] COAP_DEVICES = {
      {"demo-porch", "Demo porch light (CoAP)", "porch", "light.dimmable", "coap://127.0.0.1:5701"},
      {"demo-radiator", "Demo radiator (CoAP)", "bedroom", "thermostat", "coap://127.0.0.1:5702"},
  };

  private final DeviceCredentials credentials;
  private final List<SimDeviceSpec> specs = new ArrayList<>();
  private Simulator simulator;

  DemoHome(DeviceCredentials credentials) {
    this.credentials = credentials;
  }

  /** The demo devices to register, skipping ids the devices file already uses. */
  List<DeviceDefinition> devices(List<DeviceDefinition> existing) {
    Set<String> taken = existing.stream().map(DeviceDefinition::id).collect(Collectors.toSet());
    List<DeviceDefinition> out = new ArrayList<>();
    for (String[] d : DEVICES) {
      if (taken.contains(d[0])) {
        continue;
      }
      String password = credentials.newSecret();
      Binding binding = new Binding("mqtt", "hearth", null, null, null, null,
          new Binding.Credentials(d[0], password), null);
      out.add(new DeviceDefinition(d[0], d[1], d[2], d[3], binding));
      specs.add(SimDeviceSpec.mqtt(d[0], d[3]).withCredentials(d[0], password).withReportIntervalMs(10_000));
    }
    for (String[] d : COAP_DEVICES) {
      if (taken.contains(d[0])) {
        continue;
      }
      out.add(new DeviceDefinition(d[0], d[1], d[2], d[3],
          new Binding("coap", "hearth", null, d[4], "/state", "patch", null, null)));
      specs.add(SimDeviceSpec.coap(d[0], d[3], d[4]).withReportIntervalMs(10_000));
    }
    return out;
  }

  /** Starts the simulated devices against the broker (off the event loop: it blocks until they connect). */
  Future<Void> start(Vertx vertx, String mqttUrl) {
    // the simulator runs its own small Vert.x: start it from a plain thread, not from one of ours
    return Future.fromCompletionStage(java.util.concurrent.CompletableFuture.runAsync(() -> {
      simulator = Simulator.start(SimOptions.defaults(mqttUrl), specs);
      LOG.info("demo devices running [count: {}]", specs.size());
    }), vertx.getOrCreateContext());
  }

  Future<Void> stop(Vertx vertx) {
    Simulator s = simulator;
    if (s == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      s.close();
      return null;
    });
  }
}
