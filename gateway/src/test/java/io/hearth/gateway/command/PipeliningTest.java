package io.hearth.gateway.command;

import static io.hearth.gateway.command.CoreHarness.action;
import static io.hearth.gateway.command.CoreHarness.await;
import static io.hearth.gateway.command.CoreHarness.set;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hearth.gateway.api.CommandAnswer;
import io.hearth.gateway.store.CommandStatus;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tier 2: the sends of one device ({@link SendQueues} through {@link CommandService}, real Vert.x):
 * acceptance order on the wire, several in flight up to {@code commands.maxInFlightPerDevice},
 * replies matched to their own command whatever their order, and coalescing of queued sets into
 * {@code superseded} (docs/api.md#pipelining-and-coalescing).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PipeliningTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static String id(CommandAnswer a) {
    return a.body().getString("commandId");
  }

  private static void awaitSent(CoreHarness h, int count) {
    await().atMost(WAIT).until(() -> h.mqtt.sent.size() >= count);
  }

  private static void awaitWaiting(CoreHarness h, String device, int count) {
    await().atMost(WAIT).until(() -> h.get(() -> h.service.waitingToSend(device)) == count);
  }

  // ---- pipelining

  @Test
  void sendsGoOutInAcceptanceOrderUpToTheCapWithoutWaitingForReplies(Vertx vertx) {
    // GIVEN at most 2 commands in flight per device, and sends the broker never acknowledges
    CoreHarness h = new CoreHarness(vertx, CoreHarness.CONFIG, 2);
    h.mqtt.ackAtOnce = false;
    // WHEN four actions are accepted for the curtain, each waited for
    List<CompletableFuture<CommandAnswer>> answers = List.of(
        h.submit("curtain", action("open", Map.of(), null, true)),
        h.submit("curtain", action("stop", Map.of(), null, true)),
        h.submit("curtain", action("close", Map.of(), null, true)),
        h.submit("curtain", action("stop", Map.of(), null, true)));
    // THEN two are on the wire at once, neither waiting for the other's reply or acknowledgement
    awaitSent(h, 2);
    assertEquals(2, h.get(() -> h.service.sentInFlight("curtain")));
    assertEquals(List.of("open", "stop"), h.mqtt.sent.stream().map(s -> s.command().action()).toList());
    // AND another device is not held up by them
    await(h.submit("lamp", set(Map.of("power", true), null, false)));
    awaitSent(h, 3);

    // WHEN the second is answered first
    String first = h.mqtt.sent.get(0).cid();
    String second = h.mqtt.sent.get(1).cid();
    h.reply("curtain", second, true, null);
    // THEN that reply ends the second command only, and the third leaves
    assertEquals(second, id(await(answers.get(1))));
    assertEquals(200, await(answers.get(1)).httpStatus());
    assertFalse(answers.get(0).isDone());
    awaitSent(h, 4);
    assertEquals("close", h.mqtt.sent.get(3).command().action());
    // WHEN the first is rejected: it fails, the fourth leaves
    h.reply("curtain", first, false, "jammed");
    assertEquals(502, await(answers.get(0)).httpStatus());
    assertEquals(first, id(await(answers.get(0))));
    awaitSent(h, 5);
    h.reply("curtain", h.mqtt.sent.get(3).cid(), true, null);
    h.reply("curtain", h.mqtt.sent.get(4).cid(), true, null);
    // THEN every answer is its own command's, and the wire saw them in acceptance order
    List<String> accepted = answers.stream().map(a -> id(await(a))).toList();
    List<String> curtainWire = h.mqtt.sent.stream().filter(s -> s.command().deviceId().equals("curtain"))
        .map(FakeAdapter.Sent::cid).toList();
    assertEquals(accepted, curtainWire);
    assertEquals(0, h.get(() -> h.service.sentInFlight("curtain")));
  }

  @Test
  void aCommandThatTimedOutWhileQueuedIsNeverSent(Vertx vertx) {
    // GIVEN one command in flight per device, and an unanswered command in front
    CoreHarness h = new CoreHarness(vertx, CoreHarness.CONFIG, 1);
    String stuck = id(await(h.submit("lamp", set(Map.of("power", true), 10_000, false))));
    awaitSent(h, 1);
    // WHEN a command with a short timeout waits behind it
    CommandAnswer queued = await(h.submit("lamp", set(Map.of("brightness", 10), 200, true)));
    // THEN it times out without being sent
    assertEquals(504, queued.httpStatus());
    assertEquals(CommandStatus.TIMED_OUT, h.find("lamp", id(queued)).status());
    // WHEN the stuck one is answered and another command follows
    h.reply("lamp", stuck, true, null);
    String next = id(await(h.submit("lamp", set(Map.of("brightness", 20), null, false))));
    awaitSent(h, 2);
    // THEN the timed-out command never reached the device
    assertEquals(List.of(stuck, next), h.mqtt.sentIds());
  }

  @Test
  void stateConfirmationWaitsForTheSend(Vertx vertx) {
    // GIVEN a state-confirmed light already showing power on, one command in flight per device
    CoreHarness h = new CoreHarness(vertx, CoreHarness.CONFIG, 1);
    h.report("hall", Map.of("power", true));
    String first = id(await(h.submit("hall", set(Map.of("brightness", 5), null, false))));
    CompletableFuture<CommandAnswer> queued = h.submit("hall", set(Map.of("power", true), null, true));
    await().atMost(WAIT).until(() -> h.get(h.service::inFlightCount) == 2);
    // WHEN a report shows its value before it left
    h.report("hall", Map.of("power", true));
    // THEN it does not count
    assertFalse(queued.isDone());
    assertEquals(List.of(first), h.mqtt.sentIds());
    // WHEN the first is confirmed, the second is sent, and a report shows it
    h.report("hall", Map.of("brightness", 5));
    awaitSent(h, 2);
    h.report("hall", Map.of("power", true));
    assertEquals(200, await(queued).httpStatus());
  }

  // ---- coalescing

  @Test
  void queuedSetsSupersededByANewerSetAreAnsweredAndNeverSent(Vertx vertx) {
    // GIVEN one command in flight to the lamp (a dragged slider: the device is busy)
    CoreHarness h = new CoreHarness(vertx, CoreHarness.CONFIG, 1);
    String inFlight = id(await(h.submit("lamp", set(Map.of("brightness", 10), null, false))));
    awaitSent(h, 1);
    // WHEN more steps arrive while it is in flight, each waited for (one with an idempotency key);
    // the last one also sets power
    // (each recorded before the next: only a recorded command is superseded)
    CompletableFuture<CommandAnswer> b = h.submit("lamp", set(Map.of("brightness", 20), null, true), "step-b");
    awaitWaiting(h, "lamp", 1);
    CompletableFuture<CommandAnswer> c = h.submit("lamp", set(Map.of("brightness", 30), null, true));
    await().atMost(WAIT).until(() -> b.isDone() && h.get(() -> h.service.waitingToSend("lamp")) == 1);
    CompletableFuture<CommandAnswer> d = h.submit("lamp", set(Map.of("brightness", 40, "power", true), null, true));
    // THEN each queued step ends superseded at once: 200, naming the command that replaced it
    CommandAnswer bAnswer = await(b);
    CommandAnswer cAnswer = await(c);
    assertEquals(200, bAnswer.httpStatus());
    assertEquals("superseded", bAnswer.body().getString("status"));
    assertEquals(id(cAnswer), bAnswer.body().getString("supersededBy"));
    assertEquals(200, cAnswer.httpStatus());
    assertEquals("superseded", cAnswer.body().getString("status"));
    String newest = cAnswer.body().getString("supersededBy");
    assertFalse(d.isDone());
    // AND it is stored and published as such, and a replay of its key answers the same
    assertEquals(CommandStatus.SUPERSEDED, h.find("lamp", id(bAnswer)).status());
    assertEquals(List.of("superseded"), h.commandEvents(id(bAnswer)));
    CommandAnswer replay = await(h.submit("lamp", set(Map.of("brightness", 20), null, true), "step-b"));
    assertEquals(bAnswer.body(), replay.body());
    // WHEN the command in flight is answered
    h.reply("lamp", inFlight, true, null);
    // THEN only the newest value goes out, and it succeeds
    awaitSent(h, 2);
    assertEquals(List.of(inFlight, newest), h.mqtt.sentIds());
    assertEquals(Map.of("brightness", 40L, "power", true), h.mqtt.sent.get(1).command().set());
    h.reply("lamp", newest, true, null);
    CommandAnswer dAnswer = await(d);
    assertEquals("succeeded", dAnswer.body().getString("status"));
    assertEquals(newest, id(dAnswer));
    assertEquals(0, h.get(h.service::inFlightCount));
  }

  @Test
  void aSetOfFewerPropertiesDoesNotSupersede(Vertx vertx) {
    // GIVEN a command in flight and a queued set of power and brightness
    CoreHarness h = new CoreHarness(vertx, CoreHarness.CONFIG, 1);
    String inFlight = id(await(h.submit("lamp", set(Map.of("brightness", 10), null, false))));
    String both = id(await(h.submit("lamp", set(Map.of("power", false, "brightness", 20), null, false))));
    // WHEN a set of brightness alone follows
    String bright = id(await(h.submit("lamp", set(Map.of("brightness", 30), null, false))));
    // THEN the earlier one still goes out (its power would be lost), in order
    h.reply("lamp", inFlight, true, null);
    awaitSent(h, 2);
    h.reply("lamp", both, true, null);
    awaitSent(h, 3);
    assertEquals(List.of(inFlight, both, bright), h.mqtt.sentIds());
    assertEquals(CommandStatus.SUCCEEDED, h.find("lamp", both).status());
  }

  @Test
  void actionsAreNeverCoalescedNorSetsAcrossThem(Vertx vertx) {
    // GIVEN the curtain busy with one command, and a queue of set, action, set, action
    CoreHarness h = new CoreHarness(vertx, CoreHarness.CONFIG, 1);
    String open = id(await(h.submit("curtain", action("open", Map.of(), null, false))));
    awaitSent(h, 1);
    String setA = id(await(h.submit("curtain", set(Map.of("position", 10), null, false))));
    String stop1 = id(await(h.submit("curtain", action("stop", Map.of(), null, false))));
    String setB = id(await(h.submit("curtain", set(Map.of("position", 20), null, false))));
    String stop2 = id(await(h.submit("curtain", action("stop", Map.of(), null, false))));
    // WHEN a set of the same property follows an action: nothing before that action is superseded
    String setC = id(await(h.submit("curtain", set(Map.of("position", 30), null, false))));
    // AND a set that follows it supersedes it alone
    String setD = id(await(h.submit("curtain", set(Map.of("position", 40), null, false))));
    assertEquals(CommandStatus.SUPERSEDED, h.find("curtain", setC).status());
    for (String kept : List.of(setA, stop1, setB, stop2, setD)) {
      assertEquals(CommandStatus.PENDING, h.find("curtain", kept).status(), kept);
    }
    // THEN, answered one by one, the device gets them in acceptance order, the superseded one left out
    List<String> expected = List.of(open, setA, stop1, setB, stop2, setD);
    for (int i = 0; i < expected.size(); i++) {
      awaitSent(h, i + 1);
      h.reply("curtain", h.mqtt.sent.get(i).cid(), true, null);
    }
    assertEquals(expected, h.mqtt.sentIds());
  }
}
