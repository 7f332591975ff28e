package io.hearth.gateway.automation;

import io.vertx.core.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The gateway's {@link Scheduler}: Vert.x timers on the core context (never a blocked thread). A
 * timer set from the context fires on it.
 */
public final class VertxScheduler implements Scheduler {
  private final Context context;
  private final Clock clock;

  public VertxScheduler(Context context, Clock clock) {
    this.context = Objects.requireNonNull(context, "context");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public Timer schedule(Duration delay, Runnable task) {
    long ms = Math.max(1, delay.toMillis());
    long id = context.owner().setTimer(ms, t -> context.runOnContext(v -> task.run()));
    return () -> context.owner().cancelTimer(id);
  }
}
