package io.hearth.bench;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 1, command round trip: the same commands to the same simulated devices, once raw
 * (Paho MQTT 5 request/reply, Californium {@code PUT /state}) and once through the gateway
 * ({@code POST /devices/{id}/commands} with {@code wait:true} over a keep-alive HTTP connection),
 * one at a time. Paced ({@code latency}): at a fixed rate, latency from the intended send time.
 * Sequential ({@code sequential}): one client, back to back, each the moment the previous
 * answered, latency of each round trip itself.
 */
final class RoundTripScenario {
  private static final Logger LOG = LoggerFactory.getLogger(RoundTripScenario.class);
  static final int MQTT_DEVICES = 10;
  static final int COAP_DEVICES = 2;

  private final BenchOptions options;
  private final BenchHome home;
  private final boolean sequential;

  /**
   * @param sequential back to back (one client, closed loop) instead of at the options' fixed rate
   */
  RoundTripScenario(BenchOptions options, BenchHome home, boolean sequential) {
    this.options = Objects.requireNonNull(options, "options");
    this.home = Objects.requireNonNull(home, "home");
    this.sequential = sequential;
  }

  /** Results per protocol; each histogram is also put in {@code histograms} (for the chart). */
  JsonObject run(Map<String, Histogram> histograms) throws Exception {
    int warm = options.quick() ? 100 : 1000;
    JsonObject out = new JsonObject();
    ExecutorService exec = Executors.newSingleThreadExecutor(r -> new Thread(r, "bench-raw"));
    try (RawMqtt raw = new RawMqtt(home.app().mqttUrl(), sequential ? "bench-raw-seq" : "bench-raw-rt", exec)) {
      Paced.Op rawOp = i -> {
        Boolean ok = raw.set(BenchHome.mqttId(i % MQTT_DEVICES), props(i)).get(10, TimeUnit.SECONDS);
        check(ok, "raw mqtt reply not ok");
      };
      Paced.Op gwOp = i -> gateway(BenchHome.mqttId(i % MQTT_DEVICES), i);
      out.put("mqtt", compare("mqtt", rawOp, gwOp, warm, histograms));
    } finally {
      exec.shutdownNow();
    }
    CoapConfig.register();
    UdpConfig.register();
    CoapEndpoint endpoint = new CoapEndpoint.Builder().setConfiguration(Configuration.createStandardWithoutFile())
        .build();
    CoapClient[] coap = new CoapClient[COAP_DEVICES];
    try {
      for (int d = 0; d < COAP_DEVICES; d++) {
        coap[d] = new CoapClient(home.coapSim().coapDevice(BenchHome.coapId(d)).uri() + "/state");
        coap[d].setEndpoint(endpoint);
        coap[d].setTimeout(10_000L);
      }
      Paced.Op rawOp = i -> {
        CoapResponse r = coap[i % COAP_DEVICES].put(props(i), MediaTypeRegistry.APPLICATION_JSON);
        check(r != null && r.isSuccess(), "raw coap PUT failed: " + (r == null ? "timeout" : r.getCode()));
      };
      Paced.Op gwOp = i -> gateway(BenchHome.coapId(i % COAP_DEVICES), i);
      out.put("coap", compare("coap", rawOp, gwOp, warm, histograms));
    } finally {
      for (CoapClient c : coap) {
        if (c != null) {
          c.shutdown();
        }
      }
      endpoint.destroy();
    }
    return out;
  }

  private JsonObject compare(String protocol, Paced.Op rawOp, Paced.Op gwOp, int warm,
      Map<String, Histogram> histograms) throws Exception {
    long t0 = System.nanoTime();
    double seconds = options.quick() ? 1.5 : 15;
    int rawWarm = Paced.warmUp(warm, seconds, rawOp);
    long t1 = System.nanoTime();
    int gwWarm = Paced.warmUp(warm, seconds, gwOp);
    long t2 = System.nanoTime();
    LOG.info("warm-up [protocol: {}, raw: {} × {} µs, gateway: {} × {} µs]", protocol, rawWarm,
        (t1 - t0) / 1000 / rawWarm, gwWarm, (t2 - t1) / 1000 / gwWarm);
    // sequential: more samples (they take no schedule), so that the p99 rests on 50 of them
    int samples = sequential && !options.quick() ? options.samples() * 5 : options.samples();
    Histogram raw = sequential ? Paced.sequential(samples, rawOp) : Paced.run(samples, options.ratePerSecond(), rawOp);
    Histogram gw = sequential ? Paced.sequential(samples, gwOp) : Paced.run(samples, options.ratePerSecond(), gwOp);
    String label = sequential ? protocol + " sequential" : protocol;
    histograms.put(label + " raw", raw);
    histograms.put(label + " gateway", gw);
    Latency r = Latency.of(raw);
    Latency g = Latency.of(gw);
    LOG.info("round trip [protocol: {}, raw p50: {} µs, gateway p50: {} µs, raw p99: {} µs, gateway p99: {} µs]",
        label, r.p50(), g.p50(), r.p99(), g.p99());
    JsonObject out = new JsonObject().put("raw", r.toJson()).put("gateway", g.toJson())
        .put("addedP50Us", round(g.p50() - r.p50())).put("addedP99Us", round(g.p99() - r.p99()))
        .put("ratioP50", round(g.p50() / r.p50())).put("ratioP99", round(g.p99() / r.p99()));
    return sequential ? out : out.put("ratePerSecond", options.ratePerSecond());
  }

  private void gateway(String device, int i) {
    GatewayClient.Resp r = Bench.join(home.client().command(home.ownerToken(), device, new JsonObject(props(i))),
        Duration.ofSeconds(10));
    check(r.status() == 200, "gateway command: " + r.status() + " " + r.body());
  }

  /** Brightness changes every time (1..100), power stays on. */
  static String props(int i) {
    return "{\"power\":true,\"brightness\":" + (i % 100 + 1) + "}";
  }

  static double round(double v) {
    return Math.round(v * 100.0) / 100.0;
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }
}
