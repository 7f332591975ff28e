package io.hearth.gateway.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.backup.BackupCommand;
import io.hearth.gateway.backup.RestoreCommand;
import io.hearth.gateway.config.GatewayConfig;
import io.hearth.gateway.store.SqliteBackup;
import io.hearth.sim.SimDeviceSpec;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/backup.md end to end: a backup taken with {@code hearth backup} while a real gateway runs
 * with simulated devices and keeps writing, then {@code hearth restore} on a fresh hub (empty data
 * dir, no devices): devices, users and their tokens, command and state history come back, and the
 * simulated devices log in again with their credentials.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BackupRestoreE2eTest {
  @TempDir
  Path oldHub;
  @TempDir
  Path newHub;
  private GatewayFixture first;
  private GatewayFixture second;

  @AfterEach
  void stop() {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
  }

  @Test
  void aBackupTakenWhileRunningRestoresOnAFreshHub() throws Exception {
    // GIVEN a running gateway with a devices-file lamp and a plug added through the API (its
    // credentials generated, kept only in the database), both simulated and online
    SimDeviceSpec lamp = GatewayFixture.device("b-lamp", "light.dimmable");
    first = GatewayFixture.builder(oldHub).simulated(lamp).build().start();
    JsonObject added = first.http().post("/devices", new JsonObject().put("id", "b-plug").put("name", "Plug")
        .put("room", "hall").put("profile", "plug")
        .put("binding", new JsonObject().put("protocol", "mqtt").put("convention", "hearth"))).assertJson(201);
    JsonObject creds = added.getJsonObject("credentials");
    SimDeviceSpec plug = SimDeviceSpec.mqtt("b-plug", "plug")
        .withCredentials(creds.getString("username"), creds.getString("password"))
        .withReportIntervalMs(GatewayFixture.QUIET_REPORT_MS);
    first.simulate(List.of(plug));
    first.awaitOnline("b-plug");
    // AND commands (command history) and state changes (history points)
    String lampCommand = first.set("b-lamp", new JsonObject().put("power", true).put("brightness", 40))
        .getString("commandId");
    first.set("b-plug", new JsonObject().put("power", true));
    // AND a member paired with an invite
    String invite = first.http().post("/users/invites", new JsonObject().put("role", "member")).assertJson(201)
        .getString("code");
    Http member = new Http(first.http().base());
    JsonObject memberPair = member.post("/auth/pair", new JsonObject().put("code", invite).put("client", "tablet"))
        .assertJson(200);
    Path oldDb = oldHub.resolve("data/hearth.db");
    await().atMost(Duration.ofSeconds(10)).until(() -> SqliteBackup.summary(oldDb).historyPoints() >= 3);
    Path oldConfig = writeConfig(oldHub, first.config());

    // WHEN a backup is taken while commands keep being written
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      for (int i = 0; writing.get() || i < 3; i++) {
        statuses.add(first.command("b-lamp", new JsonObject().put("set", new JsonObject().put("brightness", 10 + i)))
            .status());
      }
    });
    Path archive = oldHub.resolve("out/hearth.zip");
    Output backup = new Output();
    int status = BackupCommand.run(new String[] {"--config", oldConfig.toString(), "--out", archive.toString()},
        backup.out, backup.err);
    writing.set(false);
    writer.get(60, TimeUnit.SECONDS);

    // THEN it succeeds while the gateway wrote on; every write succeeded
    assertEquals(0, status, backup::text);
    System.out.println(backup.text().strip() + " [commands written meanwhile: " + statuses.size() + "]");
    assertTrue(statuses.stream().allMatch(s -> s == 200), statuses::toString);
    // AND a restore on the running gateway's data dir is refused (exit 3), nothing touched
    Output refused = new Output();
    assertEquals(3, RestoreCommand.run(new String[] {archive.toString(), "--config", oldConfig.toString()},
        refused.out, refused.err), refused::text);
    assertTrue(refused.text().contains("in use by a running Hearth gateway"), refused::text);
    String ownerToken = first.ownerToken();
    first.close();
    first = null;

    // GIVEN a fresh hub: no data dir, an empty devices file, its own config file
    second = GatewayFixture.builder(newHub).build();
    Path newConfig = writeConfig(newHub, second.config());
    Path newDevices = second.config().devices();
    String emptyDevices = Files.readString(newDevices);
    Path newData = second.config().dataDir();

    // WHEN a dry run is asked for
    Output dry = new Output();
    assertEquals(0, RestoreCommand.run(new String[] {archive.toString(), "--dry-run", "--config",
        newConfig.toString()}, dry.out, dry.err), dry::text);

    // THEN it tells what would change and writes nothing
    assertTrue(dry.text().contains("devices: 2 added (b-lamp, b-plug)"), dry::text);
    assertTrue(dry.text().contains("users: 2 added (e2e (owner), tablet (member))"), dry::text);
    assertTrue(dry.text().contains("dry run: nothing written"), dry::text);
    assertFalse(Files.exists(newData), "dry run created the data dir");
    assertEquals(emptyDevices, Files.readString(newDevices));
    try (var left = Files.list(newHub)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().contains("restore")), "staging left behind");
    }

    // WHEN it is restored
    Output restore = new Output();
    assertEquals(0, RestoreCommand.run(new String[] {archive.toString(), "--config", newConfig.toString()},
        restore.out, restore.err), restore::text);

    // THEN the devices file and config file are the old hub's, the replaced ones kept
    assertEquals(Files.readString(oldHub.resolve("devices.yaml")), Files.readString(newDevices));
    assertEquals(emptyDevices, Files.readString(newDevices.resolveSibling("devices.yaml.before-restore")));
    assertEquals(Files.readString(oldConfig), Files.readString(newConfig));
    // AND the history and command history are there
    SqliteBackup.Summary restored = SqliteBackup.summary(newData.resolve("hearth.db"));
    assertTrue(restored.historyPoints() >= 3, restored::toString);
    assertEquals(2, restored.users().size(), restored::toString);

    // WHEN the new hub starts with the old owner's token (no new pairing) and the devices come back
    second.ownerToken(ownerToken);
    second.startGateway();
    second.simulate(List.of(lamp, plug));

    // THEN both devices log in with their old credentials (the plug's only in the restored database)
    second.awaitOnline("b-lamp");
    second.awaitOnline("b-plug");
    second.set("b-plug", new JsonObject().put("power", false));
    // AND the command history answers
    assertEquals("succeeded", second.getCommand("b-lamp", lampCommand).assertJson(200).getString("status"));
    // AND the member's tokens still work: the access token, and the refresh token for a new pair
    member.base(second.http().base());
    member.token(memberPair.getString("accessToken"));
    member.get("/devices").assertJson(200);
    member.token(null);
    member.post("/auth/refresh", new JsonObject().put("refreshToken", memberPair.getString("refreshToken")))
        .assertJson(200);
  }

  /** A config file naming the fixture's data dir, devices file and profiles (ports do not matter to the commands). */
  static Path writeConfig(Path dir, GatewayConfig config) throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, "data:\n  dir: " + config.dataDir().toAbsolutePath() + "\n"
        + "devices: " + config.devices().toAbsolutePath() + "\n"
        + "profiles: " + config.profiles().toAbsolutePath() + "\n");
    return file;
  }

  /** Captured output of a command. */
  static final class Output {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    final PrintStream err = out;

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
