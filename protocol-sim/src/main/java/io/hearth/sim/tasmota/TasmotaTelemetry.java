package io.hearth.sim.tasmota;

import io.hearth.sim.mqtt.Json;
import io.hearth.sim.mqtt.Publication;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The timed publications of a simulated Tasmota device: telemetry every TelePeriod
 * ({@code MqttPublishTeleState}/{@code MqttPublishTeleSensor}: {@code tele/<t>/STATE} and, with
 * sensors, {@code tele/<t>/SENSOR}) and Tasmota discovery ({@code TasDiscovery}, xdrv_12_discovery.ino:
 * retained {@code tasmota/discovery/<MAC>/config} and {@code /sensors}, empty under SetOption19 1,
 * nothing at all in a build without discovery). Confined to the device's context.
 */
final class TasmotaTelemetry {

  private final Vertx vertx;
  private final TasmotaDevice device;
  private final Runnable refresh;
  private final Consumer<List<Publication>> publish;
  private long teleTimer = -1;
  private long discoveryTimer = -1;

  TasmotaTelemetry(Vertx vertx, TasmotaDevice device, Runnable refresh, Consumer<List<Publication>> publish) {
    this.vertx = vertx;
    this.device = device;
    this.refresh = refresh;
    this.publish = publish;
  }

  /** (Re)starts the TelePeriod timer; 0 stops it (TelePeriod 0). */
  void startTele(long firstMs, long periodMs) {
    vertx.cancelTimer(teleTimer);
    teleTimer = -1;
    if (periodMs > 0) {
      teleTimer = vertx.setPeriodic(Math.max(1, firstMs), periodMs, t -> publishTele());
    }
  }

  private void publishTele() {
    String t = device.settings().topic();
    Instant now = Instant.now();
    refresh.run();
    List<Publication> out = new ArrayList<>();
    out.add(new Publication("tele/" + t + "/STATE", Json.write(TasmotaPayloads.state(device, now)), false));
    if (TasmotaPayloads.hasSensors(device)) {
      out.add(new Publication("tele/" + t + "/SENSOR", Json.write(TasmotaPayloads.sensor(device, now)), false));
    }
    publish.accept(out);
  }

  /** {@code TasmotaGlobal.discovery_counter}: discovery after this delay. */
  void scheduleDiscovery(long delayMs) {
    if (!device.settings().discovery()) {
      return;
    }
    vertx.cancelTimer(discoveryTimer);
    discoveryTimer = vertx.setTimer(Math.max(1, delayMs), t -> {
      discoveryTimer = -1;
      publishDiscovery();
    });
  }

  private void publishDiscovery() {
    TasmotaSettings s = device.settings();
    String base = "tasmota/discovery/" + s.mac() + "/";
    boolean off = s.setOption19();
    publish.accept(List.of(
        new Publication(base + "config", off ? new byte[0] : Json.write(TasmotaPayloads.discoveryConfig(device)), true),
        new Publication(base + "sensors",
            off ? new byte[0] : Json.write(TasmotaPayloads.discoverySensors(device, Instant.now())), true)));
  }

  void stop() {
    vertx.cancelTimer(teleTimer);
    vertx.cancelTimer(discoveryTimer);
    teleTimer = discoveryTimer = -1;
  }
}
