package io.hearth.adapter.mqtt;

import io.vertx.core.Context;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a hung broker (process frozen, link black-holed) within a bound, which Paho's own
 * keep-alive does not: Paho only declares the link dead one keep-alive after an unanswered
 * PINGREQ it sends one keep-alive after the last inbound packet, and every outbound write pushes
 * its check further out (measured 55–60 s for a 30 s keep-alive).
 *
 * <p>Every {@code keepAlive / 2} it looks at the last time anything came from the broker; when that
 * is {@code keepAlive / 2} or more ago it sends one probe (an UNSUBSCRIBE of a filter the gateway
 * never subscribes: any broker answers with an UNSUBACK, no ACL grants it, nothing reaches a device)
 * and waits {@code keepAlive / 2} for the answer. Without one the link is declared dead. So a broker
 * that stops answering at {@code t} is declared down by {@code t + 1.5 × keepAlive} (see
 * docs/operations.md). Runs on the adapter's context only.
 */
final class LivenessProbe {
  private static final Logger LOG = LoggerFactory.getLogger(LivenessProbe.class);

  private final Context context;
  private final long halfNanos;
  private final AtomicLong lastInbound;
  private final Supplier<io.vertx.core.Future<Void>> probe;
  private final Consumer<String> dead;
  private long tickTimer = -1;
  private long answerTimer = -1;
  private boolean outstanding;
  private boolean running;

  /**
   * @param lastInbound {@link System#nanoTime()} of the last packet from the broker, updated by
   *                    anyone on any thread
   * @param probe       sends one probe; completes (either way) when the broker answered
   * @param dead        told, once, that the broker did not answer in time
   */
  LivenessProbe(Context context, Duration keepAlive, AtomicLong lastInbound,
      Supplier<io.vertx.core.Future<Void>> probe, Consumer<String> dead) {
    this.context = context;
    this.halfNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(50), keepAlive.toNanos() / 2);
    this.lastInbound = lastInbound;
    this.probe = probe;
    this.dead = dead;
  }

  /** How long after the broker's last answer it is declared down, at the latest. */
  static Duration bound(Duration keepAlive) {
    return keepAlive.plus(keepAlive.dividedBy(2));
  }

  void start() {
    stop();
    running = true;
    long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(halfNanos));
    tickTimer = context.owner().setPeriodic(ms, id -> tick());
  }

  void stop() {
    running = false;
    outstanding = false;
    if (tickTimer >= 0) {
      context.owner().cancelTimer(tickTimer);
      tickTimer = -1;
    }
    if (answerTimer >= 0) {
      context.owner().cancelTimer(answerTimer);
      answerTimer = -1;
    }
  }

  private void tick() {
    if (!running || outstanding || System.nanoTime() - lastInbound.get() < halfNanos) {
      return;
    }
    outstanding = true;
    long sent = System.nanoTime();
    answerTimer = context.owner().setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(halfNanos)), id -> {
      answerTimer = -1;
      if (running && outstanding) {
        stop();
        dead.accept("the broker did not answer a liveness probe within "
            + TimeUnit.NANOSECONDS.toMillis(halfNanos) + " ms");
      }
    });
    probe.get().onComplete(ar -> {
      if (!running || !outstanding) {
        return;
      }
      outstanding = false;
      lastInbound.set(System.nanoTime());
      if (answerTimer >= 0) {
        context.owner().cancelTimer(answerTimer);
        answerTimer = -1;
      }
      LOG.debug("MQTT liveness probe answered [ms: {}]", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
    });
  }
}
