package io.hearth.gateway.history;

import io.hearth.device.PropertySpec;
import io.hearth.gateway.config.HistoryConfig;
import io.hearth.gateway.registry.DeviceRegistry;
import io.hearth.gateway.registry.DeviceRegistry.RegisteredDevice;
import io.hearth.gateway.store.AsyncStore;
import io.hearth.gateway.store.HistoryPoint;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The history feature wired in one place (docs/history.md): the write policy in front of the state
 * writer with its periodic tick, the retention run by the hourly purge, and the API's handlers.
 */
public final class HistoryFeature {
  private final Vertx vertx;
  private final AsyncStore store;
  private final Clock clock;
  private final HistoryConfig config;
  private final HistoryRecorder recorder;
  private final HistoryRetention retention;
  private final long timerId;

  private HistoryFeature(Vertx vertx, AsyncStore store, Clock clock, HistoryConfig config, DeviceRegistry registry,
      Consumer<HistoryPoint> writer) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.config = config;
    this.recorder = new HistoryRecorder(config, (device, property) -> registry.get(device)
        .map(d -> d.profile().property(property)).map(PropertySpec::type).orElse(null), writer);
    this.retention = new HistoryRetention(config);
    registry.addListener(new DeviceRegistry.RegistryListener() {
      @Override
      public void added(RegisteredDevice device) {
      }

      @Override
      public void removed(RegisteredDevice device) {
        recorder.forget(device.id());
      }
    });
    long tickMs = Math.max(100, Math.min(1000, config.writeIntervalMs()));
    this.timerId = config.writeIntervalMs() == 0 ? -1 : vertx.setPeriodic(tickMs, t -> recorder.tick(clock.instant()));
  }

  /** Starts the recorder's tick (on the caller's context); points that pass go to {@code writer}. */
  public static HistoryFeature start(Vertx vertx, AsyncStore store, Clock clock, HistoryConfig config,
      DeviceRegistry registry, Consumer<HistoryPoint> writer) {
    return new HistoryFeature(Objects.requireNonNull(vertx, "vertx"), Objects.requireNonNull(store, "store"),
        Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(config, "config"),
        Objects.requireNonNull(registry, "registry"), Objects.requireNonNull(writer, "writer"));
  }

  /** Where the device states hand their changed values. */
  public HistoryRecorder recorder() {
    return recorder;
  }

  /** Run by the hourly purge, on the store thread. */
  public HistoryRetention retention() {
    return retention;
  }

  /** The API's handlers. */
  public HistoryHandlers handlers(DeviceRegistry registry) {
    return new HistoryHandlers(registry, new HistoryService(store, clock, retention.stepMs()), clock,
        config.maxPageSize());
  }

  /** Stops the tick and hands every waiting point to the writer. */
  public void stop() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    recorder.flush();
  }
}
