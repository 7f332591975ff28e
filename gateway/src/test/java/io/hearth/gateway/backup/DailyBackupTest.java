package io.hearth.gateway.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daily backup on a clock and a scheduler the test drives: when it runs, what it keeps, how it fails. */
class DailyBackupTest {
  private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
  @TempDir
  Path dir;

  /** A clock the test moves. */
  static final class MovingClock extends Clock {
    Instant now;

    MovingClock(Instant start) {
      now = start;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return Clock.fixed(now, zone);
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** Holds the one scheduled task; the test runs it. */
  static final class ManualScheduler implements DailyBackup.Scheduler {
    final List<Duration> delays = new ArrayList<>();
    Runnable task;
    boolean cancelled;

    @Override
    public long schedule(Duration delay, Runnable t) {
      delays.add(delay);
      task = t;
      return delays.size();
    }

    @Override
    public void cancel(long id) {
      cancelled = true;
    }
  }

  @Test
  void runsDailyAtTheConfiguredLocalTimeAndKeepsTheNewestN() throws Exception {
    // GIVEN backups at 03:30 Berlin time keeping 3, started at 12:00 Berlin time
    Path configFile = BackupFiles.config(dir, "backup:\n  time: \"03:30\"\n  keep: 3\n");
    GatewayConfig config = BackupFiles.load(configFile);
    BackupFiles.database(config.dataDir(), BackupFiles.latest(), 1, "lamp");
    MovingClock clock = new MovingClock(ZonedDateTime.of(2026, 12, 3, 12, 0, 0, 0, ZONE).toInstant());
    ManualScheduler scheduler = new ManualScheduler();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    DailyBackup daily = new DailyBackup(config, new BackupWriter(config, configFile, clock), clock, ZONE, scheduler,
        meters);

    // WHEN it starts and five days pass, each scheduled run happening
    daily.start();
    for (int day = 0; day < 5; day++) {
      Duration delay = scheduler.delays.get(scheduler.delays.size() - 1);
      clock.now = clock.now.plus(delay);
      scheduler.task.run();
    }

    // THEN the first run waited until 03:30 the next morning, each later one a day
    assertEquals(Duration.ofHours(15).plusMinutes(30), scheduler.delays.get(0));
    assertEquals(Duration.ofDays(1), scheduler.delays.get(1));
    // AND of the five (4 to 8 December, 03:30 Berlin = 02:30 UTC) the three newest are kept, named by UTC time
    Path backups = dir.resolve("data/backups");
    try (Stream<Path> files = Files.list(backups)) {
      assertEquals(List.of("hearth-backup-20261206T023000Z.zip", "hearth-backup-20261207T023000Z.zip",
          "hearth-backup-20261208T023000Z.zip"), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertEquals(1, BackupArchive.manifest(backups.resolve("hearth-backup-20261208T023000Z.zip")).files().stream()
        .filter(e -> e.path().equals("data/hearth.db")).count());
    assertEquals(clock.now.getEpochSecond(), meters.get("hearth.backup.last.success.timestamp").gauge().value());
    assertEquals(0, meters.get("hearth.backup.failures").counter().count());

    // WHEN it stops
    daily.stop();
    // THEN its timer is cancelled and its meters removed
    assertTrue(scheduler.cancelled);
    assertTrue(meters.find("hearth.backup.failures").counters().isEmpty());
  }

  @Test
  void aFailedBackupIsCountedAndTheNextOneStillScheduled() throws Exception {
    // GIVEN a data dir without a database
    Path configFile = BackupFiles.config(dir, "");
    GatewayConfig config = BackupFiles.load(configFile);
    MovingClock clock = new MovingClock(Instant.parse("2026-12-03T12:00:00Z"));
    ManualScheduler scheduler = new ManualScheduler();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    DailyBackup daily = new DailyBackup(config, new BackupWriter(config, configFile, clock), clock, ZoneOffset.UTC,
        scheduler, meters);

    // WHEN the run comes
    daily.start();
    scheduler.task.run();

    // THEN it failed, is counted, and tomorrow's run is scheduled
    assertEquals(1, meters.get("hearth.backup.failures").counter().count());
    assertEquals(0, meters.get("hearth.backup.last.success.timestamp").gauge().value());
    assertEquals(2, scheduler.delays.size());
    // AND once there is a database the next run succeeds
    BackupFiles.database(config.dataDir(), BackupFiles.latest(), 1, "lamp");
    assertNotNull(daily.runOnce());
    daily.stop();
  }

  @Test
  void itsMetricsHaveTheDocumentedPrometheusNames() throws Exception {
    Path configFile = BackupFiles.config(dir, "");
    GatewayConfig config = BackupFiles.load(configFile);
    var prometheus = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
        io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    DailyBackup daily = new DailyBackup(config, new BackupWriter(config, configFile, Clock.systemUTC()),
        Clock.systemUTC(), ZoneOffset.UTC, new ManualScheduler(), prometheus);
    daily.runOnce(); // no database: fails
    String text = prometheus.scrape();
    assertTrue(text.contains("hearth_backup_failures_total 1.0"), text);
    assertTrue(text.contains("hearth_backup_last_success_timestamp_seconds 0.0"), text);
    daily.stop();
  }

  @Test
  void aDisabledBackupSchedulesNothing() throws Exception {
    Path configFile = BackupFiles.config(dir, "backup:\n  enabled: false\n");
    GatewayConfig config = BackupFiles.load(configFile);
    ManualScheduler scheduler = new ManualScheduler();
    DailyBackup daily = new DailyBackup(config, new BackupWriter(config, configFile, Clock.systemUTC()),
        Clock.systemUTC(), ZoneOffset.UTC, scheduler, new SimpleMeterRegistry());
    daily.start();
    assertNull(scheduler.task);
    daily.stop();
  }

  @Test
  void nextRunIsTodayOrTomorrow() {
    ZonedDateTime morning = ZonedDateTime.of(2026, 12, 3, 3, 0, 0, 0, ZoneOffset.UTC);
    assertEquals(Duration.ofMinutes(30), DailyBackup.untilNext(morning, LocalTime.of(3, 30)));
    assertEquals(Duration.ofDays(1), DailyBackup.untilNext(morning, LocalTime.of(3, 0)));
    assertEquals(Duration.ofHours(23), DailyBackup.untilNext(morning, LocalTime.of(2, 0)));
  }
}
