package io.hearth.gateway.store;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/** The group commit's counters as meters (docs/api.md, docs/storage.md#durability). */
public final class StoreMeters {

  private StoreMeters() {}

  /** Registers the counters of {@code stats}; returns them so they can be removed again. */
  public static List<Meter> register(MeterRegistry meters, CommitStats stats) {
    return List.of(
        FunctionCounter.builder("hearth_store_commits", stats, CommitStats::commits)
            .description("store transactions that wrote and committed (one per group commit)").register(meters),
        FunctionCounter.builder("hearth_store_syncs", stats, CommitStats::syncs)
            .description("syncs of the store's write-ahead log to the disk").register(meters),
        FunctionCounter.builder("hearth_store_grouped_calls", stats, CommitStats::groupedCalls)
            .description("store calls run inside group commits").register(meters));
  }
}
