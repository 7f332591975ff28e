package io.hearth.gateway.store;

import java.util.Optional;

/** Small key-value facts: counters, keys (see {@link Store}: blocking, one caller at a time). */
public interface MetaStore {

  Optional<String> get(String key);

  /** Adds or replaces a fact. */
  void put(String key, String value);
}
