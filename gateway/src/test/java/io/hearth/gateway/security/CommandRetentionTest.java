package io.hearth.gateway.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hearth.gateway.TestTransports;
import io.hearth.gateway.config.ConfigLoader;
import io.hearth.gateway.config.Limits;
import io.hearth.gateway.store.CommandRecord;
import io.hearth.gateway.store.CommandStatus;
import io.hearth.gateway.store.SqliteStore;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 3: {@code commands.retentionDays} (docs/configuration.md, "Limits and timings") decides which
 * finished commands the gateway's purge (5 s after the start, then hourly) removes.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CommandRetentionTest {
  @TempDir
  Path dir;

  @Test
  void finishedCommandsOlderThanTheConfiguredRetentionArePurged() throws Exception {
    // GIVEN a hub that ran once (lamp-x registered, the owner paired), and finished commands of
    // lamp-x in its store: one completed 2 days ago, one an hour ago
    Path data = Files.createDirectories(dir.resolve("data"));
    Limits limits = new ConfigLoader(Map.of("HEARTH_COMMANDS_RETENTION_DAYS", "1")).loadDefaults().limits();
    String owner;
    try (TestGateway first = TestGateway.start(data, limits, "")) {
      owner = first.pair(TestGateway.PAIRING_CODE, "owner").getString("accessToken");
    }
    Instant now = Instant.now();
    SqliteStore store = new SqliteStore(data, TestTransports.standard());
    store.open();
    try {
      store.commands().save(finished("two-days-old", now.minus(Duration.ofDays(2))));
      store.commands().save(finished("an-hour-old", now.minus(Duration.ofHours(1))));
      assertEquals(2, java.util.stream.Stream.of("two-days-old", "an-hour-old")
          .filter(id -> store.commands().find(id).isPresent()).count());
    } finally {
      store.close();
    }
    // WHEN the gateway runs with commands.retentionDays 1 (the default 7 would keep both)
    try (TestGateway gw = TestGateway.start(data, limits, "")) {
      assertEquals(200, status(gw, owner, "an-hour-old"));
      // THEN the first purge removes the 2-day-old command and keeps the recent one
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> status(gw, owner, "two-days-old") == 404);
      assertEquals(200, status(gw, owner, "an-hour-old"));
    }
  }

  private static CommandRecord finished(String id, Instant at) {
    return new CommandRecord(id, "lamp-x", "{\"state\":{\"on\":true}}", CommandStatus.SUCCEEDED, null, at, at);
  }

  private static int status(TestGateway gw, String token, String commandId) throws Exception {
    return gw.call(HttpMethod.GET, "/devices/lamp-x/commands/" + commandId, token, null).statusCode();
  }
}
