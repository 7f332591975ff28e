package io.hearth.gateway.command;

import static io.hearth.gateway.command.CoreHarness.action;
import static io.hearth.gateway.command.CoreHarness.await;
import static io.hearth.gateway.command.CoreHarness.set;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.api.CommandAnswer;
import io.hearth.gateway.store.CommandRecord;
import io.hearth.gateway.store.CommandStatus;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tier 2: commands whose send is unknown after a crash or a stop end {@code unknown}, and the
 * device's next report or a late reply settles them (docs/api.md#command-statuses-and-failure-reasons).
 * A crash is a new command service on the same store while the old one is simply dropped; the clock
 * is moved by hand.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UnknownCommandsTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  /** Longer than any test: the dropped instance's timers never end its commands. */
  private static final int LONG = 30_000;
  private CoreHarness h;
  private FakeAdapter freshMqtt;

  @BeforeEach
  void setUp(Vertx vertx) {
    h = new CoreHarness(vertx);
  }

  /** Submits a command that goes out, and waits until it is stored (as a crash would find it). */
  private String inFlight(String device, CommandRequest request) {
    int before = h.mqtt.sent.size();
    h.submit(device, request);
    await().atMost(WAIT).until(() -> h.mqtt.sent.size() > before);
    String cid = h.mqtt.sent.get(before).cid();
    await().atMost(WAIT).until(() -> h.memory.commands.containsKey(cid));
    return cid;
  }

  /** What a start after a crash or stop builds: a new service on the same store, recovered. */
  private int restart() {
    freshMqtt = new FakeAdapter("mqtt");
    h.service = h.newService(freshMqtt, new FakeAdapter("coap"));
    return h.on(h.service::recover);
  }

  private CommandStatus status(String cid) {
    return h.memory.commands.get(cid).status();
  }

  /** Waits until the settlement is stored (the store writes after the event is published). */
  private void awaitStored(String cid, CommandStatus status) {
    await().atMost(WAIT).until(() -> status(cid) == status);
  }

  private static CommandRecord stored(String id, CommandStatus status, String request, Instant at) {
    return new CommandRecord(id, "lamp", request, status, null, at, null);
  }

  @Test
  void recoverEndsWhatMayHaveGoneOutUnknownFailsWhatNeverWentOutAndResumesWhatStillWaits() {
    // GIVEN what a crash leaves: a command stored pending (its send unknown), one stored sent, a
    // nextWake command still waiting, and one whose expiry passed while the gateway was down
    Instant t = h.clock.instant().minusSeconds(60);
    String nextWake = "{\"set\":{\"power\":true},\"timeoutMs\":5000,\"wait\":false,\"deliverWhen\":\"nextWake\","
        + "\"expiresInMs\":%d}";
    h.memory.commands.put("c1", stored("c1", CommandStatus.PENDING, "{\"set\":{\"power\":true}}", t));
    h.memory.commands.put("c2", stored("c2", CommandStatus.SENT, "{\"set\":{\"brightness\":5}}", t));
    h.memory.commands.put("w1", stored("w1", CommandStatus.PENDING, String.format(nextWake, 3_600_000), t));
    h.memory.commands.put("w2", stored("w2", CommandStatus.PENDING, String.format(nextWake, 1000), t));

    // WHEN the gateway starts
    assertEquals(3, restart());

    // THEN the two that may have reached the device are unknown, with an event each
    for (String id : List.of("c1", "c2")) {
      CommandRecord r = h.memory.commands.get(id);
      assertEquals(CommandStatus.UNKNOWN, r.status(), id);
      assertTrue(r.error().contains("may have been executed"), r.error());
      assertEquals(h.clock.instant(), r.completedAt());
      assertEquals(List.of("unknown"), h.commandEvents(id), id);
    }
    // AND the expired one, which was never sent, failed; the waiting one waits again
    assertEquals(CommandStatus.FAILED, status("w2"));
    assertTrue(h.memory.commands.get("w2").error().contains("never sent"));
    assertEquals(List.of("failed"), h.commandEvents("w2"));
    assertEquals(CommandStatus.PENDING, status("w1"));
    assertNotNull(h.get(() -> h.service.waitsUntil("w1")));
    assertEquals(List.of(), h.commandEvents("w1"));
    assertTrue(freshMqtt.sent.isEmpty(), "nothing is re-sent");
    // AND only the waiting one goes out once its device is heard from
    h.heard("lamp");
    await().atMost(WAIT).until(() -> freshMqtt.sent.size() == 1);
    assertEquals(List.of("w1"), freshMqtt.sentIds());
  }

  @Test
  void theDevicesNextReportShowingEveryValueSettlesItSucceededOnce() {
    // GIVEN a set command in flight when the gateway crashed, unknown after the restart
    String cid = inFlight("lamp", set(Map.of("brightness", 40, "power", true), LONG, false));
    restart();
    assertEquals(CommandStatus.UNKNOWN, status(cid));
    // WHEN the device's next report shows only one of its values at the commanded value
    h.report("lamp", Map.of("brightness", 40, "power", false));
    // THEN that is not enough, and it decided: it stays unknown even when a later report shows both
    assertEquals(CommandStatus.UNKNOWN, status(cid));
    h.report("lamp", Map.of("brightness", 40, "power", true));
    assertEquals(CommandStatus.UNKNOWN, status(cid));
    assertEquals(List.of("unknown"), tail(h.commandEvents(cid), 1));
    assertEquals(0, h.get(() -> h.service.inFlightCount()));

    // GIVEN another crash with a command in flight (sent by the restarted service)
    String second = inFlightOn(h.service, freshMqtt, set(Map.of("brightness", 70), LONG, false));
    restart();
    assertEquals(CommandStatus.UNKNOWN, status(second));
    h.clock.advance(Duration.ofSeconds(30));
    // WHEN the device's next report shows its value
    h.report("lamp", Map.of("brightness", 70, "power", true));
    // THEN it succeeded: stored, with one command event, completed now
    awaitStored(second, CommandStatus.SUCCEEDED);
    CommandRecord r = h.memory.commands.get(second);
    assertEquals(CommandStatus.SUCCEEDED, r.status());
    assertNull(r.error());
    assertEquals(h.clock.instant(), r.completedAt());
    assertEquals(List.of("unknown", "succeeded"), tail(h.commandEvents(second), 2));
    assertEquals(CommandStatus.SUCCEEDED, h.find("lamp", second).status());
    // AND later reports change nothing
    int events = h.commandEvents(second).size();
    h.report("lamp", Map.of("brightness", 70));
    h.report("lamp", Map.of("brightness", 10));
    assertEquals(events, h.commandEvents(second).size());
    assertEquals(CommandStatus.SUCCEEDED, status(second));
  }

  /** Like {@link #inFlight} on a given service and adapter (after a restart). */
  private String inFlightOn(CommandService service, FakeAdapter adapter, CommandRequest request) {
    int before = adapter.sent.size();
    h.async(() -> service.submit("lamp", request, null));
    await().atMost(WAIT).until(() -> adapter.sent.size() > before);
    String cid = adapter.sent.get(before).cid();
    await().atMost(WAIT).until(() -> h.memory.commands.containsKey(cid));
    return cid;
  }

  private static List<String> tail(List<String> list, int n) {
    return list.subList(Math.max(0, list.size() - n), list.size());
  }

  @Test
  void aReportAboutOtherPropertiesDecidesNothingAndAReportWithOtherValuesLeavesItUnknownForGood() {
    // GIVEN two commands in flight at the crash: brightness 40, then power on
    String bright = inFlight("lamp", set(Map.of("brightness", 40), LONG, false));
    String power = inFlight("lamp", set(Map.of("power", true), LONG, false));
    restart();
    // WHEN the device reports brightness 70 (it may have executed 40 and been changed since)
    h.report("lamp", Map.of("brightness", 70));
    // THEN the brightness command stays unknown for good, even when 40 shows later
    assertEquals(CommandStatus.UNKNOWN, status(bright));
    h.report("lamp", Map.of("brightness", 40));
    assertEquals(CommandStatus.UNKNOWN, status(bright));
    assertEquals(List.of("unknown"), tail(h.commandEvents(bright), 1));
    // AND the power command, which those reports did not mention, is settled by the one that does
    assertEquals(CommandStatus.UNKNOWN, status(power));
    h.report("lamp", Map.of("power", true));
    awaitStored(power, CommandStatus.SUCCEEDED);
  }

  @Test
  void aRetainedReportSettlesWhenItShowsTheValuesButNeverDecidesAgainst() {
    // GIVEN a command in flight at the crash
    String cid = inFlight("lamp", set(Map.of("brightness", 40), LONG, false));
    restart();
    // WHEN the broker replays an older retained state
    h.report("lamp", Map.of("brightness", 10), true);
    // THEN it stays unknown, still watched: the device's own next report settles it
    assertEquals(List.of("unknown"), tail(h.commandEvents(cid), 1));
    h.report("lamp", Map.of("brightness", 40));
    awaitStored(cid, CommandStatus.SUCCEEDED);
  }

  @Test
  void nothingSettlesAfterTheWindow() {
    // GIVEN a command in flight at the crash
    String cid = inFlight("lamp", set(Map.of("brightness", 40), LONG, false));
    restart();
    // WHEN the device reports only after commands.unknownSettleWindowMs (default 10 min)
    h.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
    h.report("lamp", Map.of("brightness", 40));
    // THEN it stays unknown
    assertEquals(CommandStatus.UNKNOWN, status(cid));
    assertEquals(List.of("unknown"), tail(h.commandEvents(cid), 1));
  }

  @Test
  void anActionIsNeverInferredFromStateOnlyALateReplySettlesIt() {
    // GIVEN two curtain actions in flight at the crash
    String close = inFlight("curtain", action("close", Map.of(), LONG, false));
    String open = inFlight("curtain", action("open", Map.of(), LONG, false));
    restart();
    // WHEN the curtain reports its position
    h.report("curtain", Map.of("position", 0));
    // THEN neither is settled
    assertEquals(List.of("unknown"), tail(h.commandEvents(close), 1));
    assertEquals(List.of("unknown"), tail(h.commandEvents(open), 1));
    // WHEN late replies arrive (queued in the broker session over the restart)
    h.reply("curtain", close, true, null);
    h.reply("curtain", open, false, "jammed");
    // THEN each settles as the device said
    awaitStored(close, CommandStatus.SUCCEEDED);
    awaitStored(open, CommandStatus.FAILED);
    CommandRecord rejected = h.memory.commands.get(open);
    assertEquals(CommandStatus.FAILED, rejected.status());
    assertTrue(rejected.error().contains("jammed"), rejected.error());
    assertEquals(List.of("unknown", "failed"), tail(h.commandEvents(open), 2));
    // AND a reply naming another device's command settles nothing
    String lamp = inFlightOn(h.service, freshMqtt, set(Map.of("power", true), LONG, false));
    restart();
    h.reply("curtain", lamp, true, null);
    assertEquals(List.of("unknown"), tail(h.commandEvents(lamp), 1));
  }

  @Test
  void aGracefulStopEndsTheSentCommandUnknownAndAKeyedRetryGetsTheSettledAnswerWithoutASend() {
    // GIVEN a waited, keyed command the device received, and the gateway stopping before its reply
    CompletableFuture<CommandAnswer> waiting = h.submit("lamp", set(Map.of("brightness", 55), LONG, true), "u1");
    await().atMost(WAIT).until(() -> h.mqtt.sent.size() == 1);
    String cid = h.mqtt.sent.get(0).cid();
    h.on(h.service::shutdown);
    CommandAnswer atStop = await(waiting);
    assertEquals(504, atStop.httpStatus());
    assertEquals("unknown", atStop.body().getMap().get("commandStatus"));
    assertEquals(CommandStatus.UNKNOWN, status(cid));
    await().atMost(WAIT).until(() -> h.memory.idempotency.values().stream()
        .anyMatch(k -> k.answered() == CommandStatus.UNKNOWN));

    // WHEN it starts again THEN a retry with the key gets the unknown answer, and nothing is sent
    h.clock.advance(Duration.ofSeconds(5));
    assertEquals(0, restart(), "a stopped run leaves nothing unfinished");
    CommandAnswer retried = await(h.submit("lamp", set(Map.of("brightness", 55), LONG, true), "u1"));
    assertEquals(504, retried.httpStatus());
    assertEquals(cid, retried.body().getMap().get("commandId"));
    assertEquals("OUTCOME_UNKNOWN", retried.body().getMap().get("code"));

    // WHEN the device reports the commanded value
    h.report("lamp", Map.of("brightness", 55));
    // THEN the command succeeded, and the retry now gets that answer, still without a send
    awaitStored(cid, CommandStatus.SUCCEEDED);
    CommandAnswer settled = await(h.submit("lamp", set(Map.of("brightness", 55), LONG, true), "u1"));
    assertEquals(200, settled.httpStatus());
    assertEquals(cid, settled.body().getMap().get("commandId"));
    assertEquals("succeeded", settled.body().getMap().get("status"));
    assertTrue(freshMqtt.sent.isEmpty());
    assertEquals(1, h.mqtt.sent.size());
  }
}
