package io.hearth.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the benchmark runs.
 *
 * @param quick         a smoke run (under a minute) for CI: small counts, short phases
 * @param out           folder for {@code results.json} and the charts
 * @param scenarios     scenario names to run ({@code latency}, {@code sequential}, {@code onedevice}, {@code automations},
 *                      {@code relay},
 *                      {@code throughput}, {@code fanout},
 *                      {@code scale}, {@code start}); empty: all
 * @param samples       latency samples per path (round-trip scenario)
 * @param ratePerSecond fixed send rate of the latency runs
 * @param seconds       length of each throughput and fan-out phase
 * @param devices       devices of the throughput scenario
 * @param scaleDevices  device counts of the scale scenario
 * @param wsClients     WebSocket client counts of the fan-out scenario
 */
public record BenchOptions(boolean quick, Path out, List<String> scenarios, int samples, int ratePerSecond,
    int seconds, int devices, List<Integer> scaleDevices, List<Integer> wsClients) {

  public BenchOptions {
    Objects.requireNonNull(out, "out");
    scenarios = List.copyOf(scenarios);
    scaleDevices = List.copyOf(scaleDevices);
    wsClients = List.copyOf(wsClients);
  }

  /** The full run (what docs/benchmarks.md shows). */
  public static BenchOptions full(Path out) {
    return new BenchOptions(false, out, List.of(), 1000, 50, 10, 1000, List.of(1000, 10_000), List.of(10, 100));
  }

  /**
   * The CI smoke run: every scenario but the slider storm ({@code onedevice}: its raw loops can
   * wait out a 5 s reply timeout, too long for a run under a minute; {@code --quick --only
   * onedevice} runs it), tiny.
   */
  public static BenchOptions quick(Path out) {
    return new BenchOptions(true, out, List.of("latency", "sequential", "throughput", "fanout", "scale", "start", "automations",
        "relay"),
        100, 50, 2, 100, List.of(100), List.of(10));
  }

  public boolean runs(String scenario) {
    return scenarios.isEmpty() || scenarios.contains(scenario);
  }

  public BenchOptions withScenarios(List<String> names) {
    return new BenchOptions(quick, out, names, samples, ratePerSecond, seconds, devices, scaleDevices, wsClients);
  }

  public BenchOptions withOut(Path folder) {
    return new BenchOptions(quick, folder, scenarios, samples, ratePerSecond, seconds, devices, scaleDevices,
        wsClients);
  }
}
