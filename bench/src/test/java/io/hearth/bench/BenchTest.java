package io.hearth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's pieces: the latency summary, and a quick round-trip run with raw and gateway figures. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BenchTest {

  @Test
  void latencySummaryIsInMicroseconds() {
    // GIVEN 99 samples of 1 ms and one of 100 ms
    Histogram h = Latency.histogram();
    for (int i = 0; i < 99; i++) {
      Latency.record(h, 1_000_000);
    }
    Latency.record(h, 100_000_000);
    // WHEN summarised
    Latency l = Latency.of(h);
    // THEN percentiles are in µs (within the histogram's 3 significant digits)
    assertEquals(100, l.count());
    assertEquals(1000, l.p50(), 1.0);
    assertEquals(1000, l.p90(), 1.0);
    assertEquals(100_000, l.max(), 100.0);
  }

  @Test
  void quickRoundTripHasRawAndGatewayFiguresAndARatio(@TempDir Path dir) throws Exception {
    // GIVEN the quick options, only the command round trip
    BenchOptions options = BenchOptions.quick(dir.resolve("out")).withScenarios(List.of("latency"));
    // WHEN it runs
    JsonObject results = Bench.run(options);
    // THEN both protocols have raw and gateway latencies, and the ratio; the JSON and chart are written
    JsonObject rt = results.getJsonObject("scenarios").getJsonObject("commandRoundTrip");
    for (String protocol : List.of("mqtt", "coap")) {
      JsonObject c = rt.getJsonObject(protocol);
      assertEquals(options.samples(), c.getJsonObject("raw").getLong("count"), protocol);
      assertEquals(options.samples(), c.getJsonObject("gateway").getLong("count"), protocol);
      assertTrue(c.getDouble("ratioP50") > 0, protocol);
    }
    assertTrue(Files.size(dir.resolve("out/results.json")) > 0);
    assertTrue(Files.size(dir.resolve("out/latency.png")) > 0);
    assertTrue(Table.render(results).contains("command round trip mqtt"));
  }

  @Test
  void quickAutomationsReportEvaluationsAndThePacedCost(@TempDir Path dir) throws Exception {
    BenchOptions options = BenchOptions.quick(dir.resolve("out")).withScenarios(List.of("automations"));
    JsonObject a = Bench.run(options).getJsonObject("scenarios").getJsonObject("automations");
    assertTrue(a.getLong("ruleEvaluationsPerSecond") > 0, a::encode);
    JsonObject paced = a.getJsonObject("paced");
    assertTrue(paced.getLong("stateChangesPerSecond") > 900, a::encode);
    assertTrue(paced.getLong("runsCompleted") > 0, a::encode);
    assertTrue(a.getLong("commandsSent") > 0, a::encode);
  }

  @Test
  void quickRelayMeasuresTheSameRequestsDirectAndThroughARealRelay(@TempDir Path dir) throws Exception {
    // GIVEN the quick options, only the relay scenario (a real relay, the gateway's tunnel linked to it)
    BenchOptions options = BenchOptions.quick(dir.resolve("out")).withScenarios(List.of("relay"));
    // WHEN it runs
    JsonObject results = Bench.run(options);
    // THEN both requests have every sample direct and relayed (each one checked: 200, the device, a
    // succeeded command), with the added latency and the ratio; the table shows them
    JsonObject relay = results.getJsonObject("scenarios").getJsonObject("relay");
    assertEquals(32, relay.getString("hubId").length(), relay::encode);
    for (String request : List.of("getDevice", "commandWait")) {
      JsonObject c = relay.getJsonObject(request);
      assertEquals(options.samples(), c.getJsonObject("direct").getLong("count"), request);
      assertEquals(options.samples(), c.getJsonObject("relayed").getLong("count"), request);
      assertTrue(c.getJsonObject("relayed").getDouble("p50Us") > 0, request);
      assertTrue(c.getDouble("ratioP50") > 0, request);
    }
    assertTrue(Table.render(results).contains("command with wait through the relay"));
  }
}
