package io.hearth.gateway.http;

import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What {@code GET /api/v1/health} reports ({@code docs/operations.md}): each transport up or down,
 * as its adapter (and listener) says at the time of the request, and the store's summary
 * ({@code up}, {@code degraded (disk full)}, {@code down (not answering)}...; docs/storage.md).
 */
public final class Health {
  private final Map<String, BooleanSupplier> transports;
  private final Supplier<Future<String>> store;

  /**
   * @param transports each transport's name (in report order) and whether it is up now
   * @param store      the store's health summary (the caller bounds how long it may take)
   */
  public Health(Map<String, BooleanSupplier> transports, Supplier<Future<String>> store) {
    this.transports = new LinkedHashMap<>(Objects.requireNonNull(transports, "transports"));
    this.store = Objects.requireNonNull(store, "store");
  }

  /** The parts' states, transports first ({@code up} or {@code down}), then {@code store}. */
  public Future<Map<String, String>> check() {
    Map<String, String> parts = new LinkedHashMap<>();
    transports.forEach((name, up) -> parts.put(name, up.getAsBoolean() ? "up" : "down"));
    return store.get().map(summary -> {
      parts.put("store", summary);
      return parts;
    });
  }
}
