package io.hearth.gateway.http;

import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What {@code GET /api/v1/health} reports ({@code docs/operations.md}): each transport up or down,
 * as its adapter (and listener) says at the time of the request, and the store up if it answers a
 * read within 2 s.
 */
public final class Health {
  private static final long STORE_TIMEOUT_SECONDS = 2;

  private final Map<String, BooleanSupplier> transports;
  private final Supplier<? extends Future<?>> storeProbe;

  /**
   * @param transports each transport's name (in report order) and whether it is up now
   * @param storeProbe a cheap read of the store
   */
  public Health(Map<String, BooleanSupplier> transports, Supplier<? extends Future<?>> storeProbe) {
    this.transports = new LinkedHashMap<>(Objects.requireNonNull(transports, "transports"));
    this.storeProbe = Objects.requireNonNull(storeProbe, "storeProbe");
  }

  /** The parts' states, {@code up} or {@code down}, transports first, then {@code store}. */
  public Future<Map<String, String>> check() {
    Map<String, String> parts = new LinkedHashMap<>();
    transports.forEach((name, up) -> parts.put(name, up.getAsBoolean() ? "up" : "down"));
    return storeProbe.get()
        .timeout(STORE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .transform(r -> {
          parts.put("store", r.succeeded() ? "up" : "down");
          return Future.succeededFuture(parts);
        });
  }
}
