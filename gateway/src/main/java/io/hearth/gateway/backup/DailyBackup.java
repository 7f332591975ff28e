package io.hearth.gateway.backup;

import io.hearth.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily automatic backup (docs/backup.md#daily-backup): at {@code backup.time} (local time)
 * writes {@code hearth-backup-<UTC time>.zip} into {@code backup.dir} on a worker thread, then
 * deletes the oldest such archives beyond {@code backup.keep}. A failure is logged at WARN and
 * counted in {@code hearth_backup_failures_total}; {@code hearth_backup_last_success_timestamp_seconds}
 * tells when the last one succeeded.
 */
public final class DailyBackup {
  private static final Logger LOG = LoggerFactory.getLogger(DailyBackup.class);
  private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final Pattern NAME = Pattern.compile("hearth-backup-\\d{8}T\\d{6}Z\\.zip");

  /** Runs a task after a delay, on a thread that may block (never an event loop). */
  public interface Scheduler {
    /** Schedules {@code task}; returns an id for {@link #cancel}. */
    long schedule(Duration delay, Runnable task);

    void cancel(long id);
  }

  private final GatewayConfig.Backup settings;
  private final Path dir;
  private final BackupWriter writer;
  private final Clock clock;
  private final ZoneId zone;
  private final Scheduler scheduler;
  private final Counter failures;
  private final AtomicLong lastSuccess = new AtomicLong();
  private final List<Meter> meters = new ArrayList<>();
  private final MeterRegistry registry;
  private volatile boolean stopped;
  private volatile long timer = -1;

  public DailyBackup(GatewayConfig config, BackupWriter writer, Clock clock, ZoneId zone, Scheduler scheduler,
      MeterRegistry registry) {
    this.settings = config.backup();
    this.dir = settings.dir(config.dataDir());
    this.writer = Objects.requireNonNull(writer, "writer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.failures = Counter.builder("hearth.backup.failures").description("daily backups that failed")
        .register(registry);
    meters.add(failures);
    meters.add(Gauge.builder("hearth.backup.last.success.timestamp", lastSuccess, AtomicLong::get)
        .description("when the last daily backup succeeded (0: none since start)").baseUnit("seconds")
        .register(registry));
  }

  /** A scheduler on Vert.x timers that runs the task with {@code executeBlocking} (a worker thread). */
  public static Scheduler onVertx(Vertx vertx) {
    return new Scheduler() {
      @Override
      public long schedule(Duration delay, Runnable task) {
        return vertx.setTimer(Math.max(1, delay.toMillis()), id -> vertx.executeBlocking(() -> {
          task.run();
          return null;
        }, false));
      }

      @Override
      public void cancel(long id) {
        vertx.cancelTimer(id);
      }
    };
  }

  /** The archive name for a backup taken at {@code at}: {@code hearth-backup-20261203T033000Z.zip}. */
  public static String fileName(Instant at) {
    return "hearth-backup-" + NAME_TIME.format(at) + ".zip";
  }

  /** How long from {@code now} until the next {@code at} (tomorrow's if today's has passed). */
  static Duration untilNext(ZonedDateTime now, LocalTime at) {
    ZonedDateTime next = now.with(at);
    if (!next.isAfter(now)) {
      next = now.plusDays(1).with(at);
    }
    return Duration.between(now, next);
  }

  /** Schedules the first run; a disabled backup does nothing. */
  public Future<Void> start() {
    if (settings.enabled()) {
      scheduleNext();
      LOG.info("daily backup at {} ({}) into {}, keeping {}", settings.time(), zone, dir, settings.keep());
    }
    return Future.succeededFuture();
  }

  public Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      scheduler.cancel(timer);
    }
    meters.forEach(registry::remove);
    return Future.succeededFuture();
  }

  private void scheduleNext() {
    if (!stopped) {
      Duration delay = untilNext(ZonedDateTime.now(clock.withZone(zone)), settings.time());
      timer = scheduler.schedule(delay, () -> {
        runOnce();
        scheduleNext();
      });
    }
  }

  /**
   * Writes one archive and prunes the old ones (blocking: on a worker). Returns the archive, or
   * null when it failed (logged and counted).
   */
  Path runOnce() {
    Instant at = clock.instant();
    Path out = dir.resolve(fileName(at));
    try {
      BackupManifest m = writer.write(out);
      lastSuccess.set(at.getEpochSecond());
      List<Path> deleted = prune();
      LOG.info("daily backup written [file: {}, files: {}, deleted old: {}]", out, m.files().size(), deleted.size());
      return out;
    } catch (IOException | RuntimeException e) {
      failures.increment();
      LOG.warn("daily backup failed [dir: {}, reason: {}]", dir, e.toString());
      return null;
    }
  }

  /** Deletes the oldest daily archives beyond {@code backup.keep}; returns those deleted. */
  List<Path> prune() throws IOException {
    List<Path> archives;
    try (Stream<Path> all = Files.list(dir)) {
      archives = all.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
    }
    List<Path> deleted = new ArrayList<>();
    for (int i = 0; i < archives.size() - settings.keep(); i++) {
      Files.delete(archives.get(i));
      deleted.add(archives.get(i));
    }
    return deleted;
  }
}
