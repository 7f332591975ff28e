package io.hearth.gateway.store;

import java.util.Optional;

/** Small key-value facts: counters, keys (see {@link Store}: blocking, one caller at a time). */
public interface MetaStore {

  Optional<String> get(String key);

  /** Adds or replaces a fact. */
  void put(String key, String value);

  /**
   * A durable write that needs the file to grow, removed in the same transaction: it succeeds only
   * when the store can write again ({@link StoreHealthProbe}), and leaves no row behind.
   */
  void probe();
}
