package io.hearth.gateway.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the store's group commit did since start (docs/storage.md#durability): transactions
 * committed, syncs of the write-ahead log to the disk, and calls run inside group commits. Thread-safe
 * counters, exported as {@code hearth_store_commits_total}, {@code hearth_store_syncs_total} and
 * {@code hearth_store_grouped_calls_total} (docs/api.md).
 */
public final class CommitStats {
  private final LongAdder commits = new LongAdder();
  private final LongAdder syncs = new LongAdder();
  private final LongAdder groupedCalls = new LongAdder();

  /** Transactions that wrote something and committed. */
  public long commits() {
    return commits.sum();
  }

  /** Syncs of the write-ahead log to the disk (fdatasync). */
  public long syncs() {
    return syncs.sum();
  }

  /** Calls that ran inside a group commit. */
  public long groupedCalls() {
    return groupedCalls.sum();
  }

  void committed() {
    commits.increment();
  }

  void synced() {
    syncs.increment();
  }

  void grouped(int calls) {
    groupedCalls.add(calls);
  }
}
