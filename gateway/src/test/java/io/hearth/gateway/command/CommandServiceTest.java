package io.hearth.gateway.command;

import static io.hearth.gateway.command.CoreHarness.action;
import static io.hearth.gateway.command.CoreHarness.await;
import static io.hearth.gateway.command.CoreHarness.failure;
import static io.hearth.gateway.command.CoreHarness.set;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.adapter.DeviceCommand;
import io.hearth.gateway.api.ApiException;
import io.hearth.gateway.api.CommandAnswer;
import io.hearth.gateway.api.ErrorCode;
import io.hearth.gateway.api.Problems;
import io.hearth.gateway.domain.DomainException;
import io.hearth.gateway.domain.FieldError;
import io.hearth.gateway.store.CommandRecord;
import io.hearth.gateway.store.CommandStatus;
import io.hearth.gateway.store.StoreUnavailableException;
import java.util.concurrent.ExecutionException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
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
 * Tier 2: {@link CommandService} on a real Vert.x — a command's whole life, its errors, ordering,
 * state confirmation, restart recovery and shutdown.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CommandServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private CoreHarness h;

  @BeforeEach
  void setUp(Vertx vertx) {
    h = new CoreHarness(vertx);
  }

  private String sentCid(int index) {
    await().atMost(WAIT).until(() -> h.mqtt.sent.size() > index);
    return h.mqtt.sent.get(index).cid();
  }

  // ---- refused before anything is sent

  @Test
  void validationErrorsAreAllReportedAndNothingIsSent() {
    // WHEN a command has two bad values
    ApiException e = failure(h.submit("lamp", set(Map.of("brightness", 500, "colour", "red"))));
    // THEN one 422 lists both, and nothing moved
    assertEquals(ErrorCode.VALIDATION_FAILED, e.code());
    assertEquals(List.of("brightness", "colour"), e.errors().stream().map(FieldError::property).sorted().toList());
    assertTrue(h.mqtt.sent.isEmpty());
    assertEquals(0, h.get(h.service::inFlightCount));
    assertEquals(Map.of(), h.view("lamp").pending());
    assertTrue(h.events.isEmpty(), h.events::toString);
    assertTrue(h.memory.commands.isEmpty());
  }

  @Test
  void whatTheBindingCannotCarryIsAValidationErrorAndNothingIsRecordedOrSent() {
    // GIVEN hall is a zigbee2mqtt light: its profile has blink, Zigbee2MQTT has no counterpart
    ApiException e = failure(h.submit("hall", action("blink", Map.of("times", 2), null, true)));
    // THEN 422 names the action, before anything is recorded, pending or sent
    assertEquals(ErrorCode.VALIDATION_FAILED, e.code());
    assertEquals(List.of("action"), e.errors().stream().map(FieldError::property).toList());
    assertTrue(e.errors().get(0).message().contains("'blink'"), e.errors()::toString);
    assertTrue(h.mqtt.sent.isEmpty());
    assertEquals(0, h.get(h.service::inFlightCount));
    assertEquals(Map.of(), h.view("hall").pending());
    assertTrue(h.events.isEmpty(), h.events::toString);
    assertTrue(h.memory.commands.isEmpty());
    // AND the same action on a hearth light is carried
    assertEquals(202, await(h.submit("lamp", action("blink", Map.of("times", 2), null, false))).httpStatus());
  }

  @Test
  void malformedCommandShapesAreValidationErrors() {
    CommandRequest both = new CommandRequest(Map.of("power", true), "blink", null, null, true);
    assertEquals("action", failure(h.submit("lamp", both)).errors().get(0).property());
    CommandRequest neither = new CommandRequest(null, null, null, null, true);
    assertEquals("set", failure(h.submit("lamp", neither)).errors().get(0).property());
    assertEquals("timeoutMs", failure(h.submit("lamp", set(Map.of("power", true), 0, true))).errors().get(0).property());
    assertEquals("timeoutMs",
        failure(h.submit("lamp", set(Map.of("power", true), 60001, true))).errors().get(0).property());
    assertEquals(ErrorCode.VALIDATION_FAILED, failure(h.submit("curtain", action("fly", Map.of(), null, true))).code());
    assertEquals(ErrorCode.VALIDATION_FAILED,
        failure(h.submit("lamp", action("blink", Map.of("times", 0), null, true))).code());
    assertTrue(h.mqtt.sent.isEmpty());
  }

  @Test
  void unknownDeviceIsNotFound() {
    assertEquals(ErrorCode.DEVICE_NOT_FOUND, failure(h.submit("ghost", set(Map.of("power", true)))).code());
  }

  @Test
  void knownOfflineDeviceIsRefusedAndNothingSent() {
    h.offline("lamp", "lwt");
    ApiException e = failure(h.submit("lamp", set(Map.of("power", true))));
    assertEquals(ErrorCode.DEVICE_OFFLINE, e.code());
    assertEquals(409, e.code().status());
    assertTrue(h.mqtt.sent.isEmpty());
    assertTrue(h.memory.commands.isEmpty());
  }

  @Test
  void validationComesBeforeTheOfflineCheck() {
    h.offline("lamp", "lwt");
    assertEquals(ErrorCode.VALIDATION_FAILED, failure(h.submit("lamp", set(Map.of("brightness", -1)))).code());
  }

  @Test
  void transportDownIsDeviceOffline() {
    h.coap.up = false;
    assertEquals(ErrorCode.DEVICE_OFFLINE, failure(h.submit("thermo", set(Map.of("target_temp", 21.5)))).code());
    assertTrue(h.coap.sent.isEmpty());
    // AND the other transport is unaffected
    CompletableFuture<CommandAnswer> lamp = h.submit("lamp", set(Map.of("power", true), null, false));
    assertEquals(202, await(lamp).httpStatus());
  }

  @Test
  void aCommandTheStoreCannotRecordIsRefusedWithoutAnIdAndNeverSent() {
    // GIVEN a store whose disk is full
    h.memory.failCommandSaves = new StoreUnavailableException(StoreUnavailableException.Reason.DISK_FULL,
        "saveCommand failed: database or disk is full");
    // WHEN a command is sent, waited for or not
    for (boolean wait : List.of(true, false)) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> h.submit("lamp", set(Map.of("power", wait), null, wait)).get(5, TimeUnit.SECONDS));
      // THEN the caller hears 503 STORE_UNAVAILABLE, with no command id that would then be unknown
      ApiException problem = Problems.toApiException(e.getCause());
      assertEquals(ErrorCode.STORE_UNAVAILABLE, problem.code(), () -> "wait " + wait + ": " + e.getCause());
      assertEquals(503, problem.code().status());
      assertTrue(problem.getMessage().contains("disk full"), problem.getMessage());
    }
    // AND nothing reached the device, and nothing is left in flight
    await().atMost(WAIT).until(() -> h.get(h.service::inFlightCount) == 0);
    assertTrue(h.mqtt.sent.isEmpty());
    // WHEN space comes back, THEN the next command is accepted and sent
    h.memory.failCommandSaves = null;
    assertEquals(202, await(h.submit("lamp", set(Map.of("power", true), null, false))).httpStatus());
    sentCid(0);
  }

  // ---- wait: true

  @Test
  void confirmedCommandSucceedsWithStateAndVersion() {
    Instant accepted = h.clock.instant();
    // WHEN a command is submitted and waited for
    CompletableFuture<CommandAnswer> answer = h.submit("lamp", set(Map.of("brightness", 60.0)));
    String cid = sentCid(0);

    // THEN the device got the normalised command with its deadline
    DeviceCommand sent = h.mqtt.sent.get(0).command();
    assertEquals("lamp", sent.deviceId());
    assertEquals(Map.of("brightness", 60L), sent.set());
    assertNull(sent.action());
    assertEquals(accepted.plusMillis(CoreHarness.CONFIG.defaultTimeoutMs()), sent.expiresAt());
    // AND while in flight the value is pending and the command is sent, not done
    assertEquals(Map.of("brightness", 60L), h.view("lamp").pending());
    assertEquals(Map.of(), h.view("lamp").state());
    assertEquals(CommandStatus.SENT, h.find("lamp", cid).status());
    assertFalse(answer.isDone());

    // WHEN the device replies ok
    h.reply("lamp", cid, true, null);

    // THEN 200 with the confirmed state and version
    CommandAnswer o = await(answer);
    assertEquals(200, o.httpStatus());
    assertFalse(o.isError());
    assertEquals(Map.of("commandId", cid, "status", "succeeded", "device", "lamp",
        "state", Map.of("brightness", 60L), "version", 1L), o.body().getMap());
    // AND pending is cleared, the state holds the value
    assertEquals(Map.of(), h.view("lamp").pending());
    assertEquals(Map.of("brightness", 60L), h.view("lamp").state());
    assertEquals(List.of("sent", "succeeded"), h.commandEvents(cid));
    CommandRecord r = h.find("lamp", cid);
    assertEquals(CommandStatus.SUCCEEDED, r.status());
    assertNotNull(r.completedAt());
    assertEquals(0, h.get(h.service::inFlightCount));
  }

  @Test
  void rejectedCommandIsDeviceRejected() {
    CompletableFuture<CommandAnswer> answer = h.submit("lamp", set(Map.of("power", true)));
    String cid = sentCid(0);
    h.reply("lamp", cid, false, "overheated");
    CommandAnswer o = await(answer);
    assertEquals(502, o.httpStatus());
    assertEquals(ErrorCode.DEVICE_REJECTED.name(), o.body().getString("code"));
    assertEquals("DEVICE_REJECTED", o.body().getMap().get("code"));
    assertEquals("overheated", o.body().getMap().get("detail"));
    assertEquals(cid, o.body().getMap().get("commandId"));
    assertEquals("failed", o.body().getMap().get("commandStatus"));
    CommandRecord r = h.find("lamp", cid);
    assertEquals(CommandStatus.FAILED, r.status());
    assertEquals("overheated", r.error());
    assertEquals(Map.of(), h.view("lamp").state(), "a rejected value is not applied");
    assertEquals(Map.of(), h.view("lamp").pending());
  }

  @Test
  void unansweredCommandTimesOut() {
    long start = System.nanoTime();
    CompletableFuture<CommandAnswer> answer = h.submit("lamp", set(Map.of("brightness", 30), 200, true));
    String cid = sentCid(0);
    CommandAnswer o = await(answer);
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertEquals(504, o.httpStatus());
    assertEquals(ErrorCode.COMMAND_TIMEOUT.name(), o.body().getString("code"));
    assertEquals("timed_out", o.body().getMap().get("commandStatus"));
    assertTrue(elapsedMs >= 190, "answered after " + elapsedMs + " ms, before the 200 ms timeout");
    assertEquals(CommandStatus.TIMED_OUT, h.find("lamp", cid).status());
    assertEquals(List.of("sent", "timed_out"), h.commandEvents(cid));
    assertEquals(Map.of(), h.view("lamp").pending());

    // AND a reply that comes too late changes nothing
    h.reply("lamp", cid, true, null);
    assertEquals(CommandStatus.TIMED_OUT, h.find("lamp", cid).status());
    assertEquals(Map.of(), h.view("lamp").state());
  }

  @Test
  void actionCommandIsSentAndConfirmed() {
    CompletableFuture<CommandAnswer> answer = h.submit("curtain", action("open", Map.of(), null, true));
    String cid = sentCid(0);
    DeviceCommand c = h.mqtt.sent.get(0).command();
    assertTrue(c.isAction());
    assertEquals("open", c.action());
    assertEquals(Map.of(), c.set());
    h.reply("curtain", cid, true, null);
    assertEquals(200, await(answer).httpStatus());
  }

  @Test
  void replyFromAnotherDeviceIsIgnored() {
    CompletableFuture<CommandAnswer> answer = h.submit("lamp", set(Map.of("power", true), 300, true));
    String cid = sentCid(0);
    h.reply("curtain", cid, true, null);
    assertEquals(504, await(answer).httpStatus());
  }

  // ---- wait: false

  @Test
  void unwaitedCommandAnswersPendingThenMovesOn() {
    CommandAnswer o = await(h.submit("lamp", set(Map.of("power", true), null, false)));
    assertEquals(202, o.httpStatus());
    String cid = (String) o.body().getMap().get("commandId");
    assertEquals(Map.of("commandId", cid, "status", "pending"), o.body().getMap());
    // the command is findable as soon as its id is known
    assertEquals(cid, h.memory.commands.get(cid).commandId());
    assertEquals(CommandStatus.SENT, h.find("lamp", cid).status());
    assertEquals(Map.of("power", true), h.view("lamp").pending());

    h.reply("lamp", cid, true, null);
    CommandRecord done = h.find("lamp", cid);
    assertEquals(CommandStatus.SUCCEEDED, done.status());
    assertEquals(Map.of(), h.view("lamp").pending());
  }

  @Test
  void sendFailureEndsFailed() {
    h.mqtt.ackAtOnce = false;
    CompletableFuture<CommandAnswer> answer = h.submit("lamp", set(Map.of("power", true)));
    sentCid(0);
    h.run(() -> h.mqtt.sent.get(0).promise().fail("broker gone"));
    CommandAnswer o = await(answer);
    assertTrue(o.isError());
    assertEquals("failed", o.body().getMap().get("commandStatus"));
    assertEquals(ErrorCode.DEVICE_OFFLINE.name(), o.body().getString("code"));
    CommandRecord r = h.find("lamp", h.mqtt.sent.get(0).cid());
    assertEquals(CommandStatus.FAILED, r.status());
    assertTrue(r.error().contains("broker gone"), r.error());
    assertEquals(Map.of(), h.view("lamp").pending());
  }

  @Test
  void findRefusesOtherDevicesAndUnknownIds() {
    CommandAnswer o = await(h.submit("lamp", set(Map.of("power", true), null, false)));
    String cid = (String) o.body().getMap().get("commandId");
    ApiException other = failure(h.async(() -> h.service.find("curtain", cid)));
    assertEquals(ErrorCode.COMMAND_NOT_FOUND, other.code());
    assertEquals(ErrorCode.COMMAND_NOT_FOUND, failure(h.async(() -> h.service.find("lamp", "nope"))).code());
    h.reply("lamp", cid, true, null);
    assertEquals(ErrorCode.COMMAND_NOT_FOUND, failure(h.async(() -> h.service.find("curtain", cid))).code(),
        "also once it is only in the store");
  }

  @Test
  void findOnUnknownDeviceFailsTheFuture(VertxTestContext testContext) {
    h.ctx.runOnContext(v -> {
      Future<CommandRecord> f;
      try {
        f = h.service.find("ghost", "x");
      } catch (RuntimeException e) {
        testContext.failNow(new AssertionError("find threw instead of failing its future", e));
        return;
      }
      f.onComplete(testContext.failing(e -> testContext.verify(() -> {
        assertEquals(ErrorCode.DEVICE_NOT_FOUND, Problems.toApiException(assertInstanceOf(DomainException.class, e)).code());
        testContext.completeNow();
      })));
    });
  }

  // ---- state-confirmed conventions

  @Test
  void stateConfirmedCommandSucceedsOnlyWhenEveryValueIsShown() {
    CompletableFuture<CommandAnswer> answer = h.submit("hall", set(Map.of("power", true, "brightness", 60)));
    String cid = sentCid(0);

    // WHEN reports show only part of the command, or other values
    h.report("hall", Map.of("power", true));
    h.report("hall", Map.of("brightness", 59));
    // THEN it is not confirmed
    assertEquals(CommandStatus.SENT, h.find("hall", cid).status());
    assertFalse(answer.isDone());
    assertEquals(Map.of("power", true, "brightness", 60L), h.view("hall").pending());

    // WHEN a report completes the picture
    h.report("hall", Map.of("brightness", 60.0));
    // THEN it succeeded, with the reported state
    CommandAnswer o = await(answer);
    assertEquals(200, o.httpStatus());
    assertEquals(Map.of("power", true, "brightness", 60L), o.body().getMap().get("state"));
    assertEquals(Map.of(), h.view("hall").pending());
  }

  @Test
  void replyConventionIsNotConfirmedByState() {
    CompletableFuture<CommandAnswer> answer = h.submit("lamp", set(Map.of("power", true), 300, true));
    sentCid(0);
    h.report("lamp", Map.of("power", true));
    assertEquals(504, await(answer).httpStatus(), "a reply-confirmed device must answer the command id");
  }

  // ---- restart and shutdown

  @Test
  void recoverEndsUnfinishedCommandsUnknownAndSendsNothing() {
    Instant t = h.clock.instant().minusSeconds(60);
    h.memory.commands.put("c1", new CommandRecord("c1", "lamp", "{}", CommandStatus.PENDING, null, t, null));
    h.memory.commands.put("c2", new CommandRecord("c2", "lamp", "{}", CommandStatus.SENT, null, t, null));
    h.memory.commands.put("c3", new CommandRecord("c3", "lamp", "{}", CommandStatus.SUCCEEDED, null, t, t));

    assertEquals(2, h.on(h.service::recover));

    // THEN both may have reached the device ("sent" is not stored): unknown, never failed
    for (String id : List.of("c1", "c2")) {
      CommandRecord r = h.memory.commands.get(id);
      assertEquals(CommandStatus.UNKNOWN, r.status(), id);
      assertEquals(List.of("unknown"), h.commandEvents(id), id);
      assertNotNull(r.error(), id);
      assertEquals(h.clock.instant(), r.completedAt(), id);
    }
    assertEquals(CommandStatus.SUCCEEDED, h.memory.commands.get("c3").status());
    assertTrue(h.mqtt.sent.isEmpty(), "nothing is re-sent");
    assertEquals(0, h.on(h.service::recover));
  }

  @Test
  void shutdownEndsEveryInFlightCommandUnknownIfItWentOutElseFailedAndAnswersItsWaiters(Vertx vertx) {
    // GIVEN one command in flight per device (commands.maxInFlightPerDevice 1), two waited commands
    // (one still queued behind a stuck send) and an unwaited one
    h = new CoreHarness(vertx, CoreHarness.CONFIG, 1);
    h.mqtt.ackAtOnce = false;
    CompletableFuture<CommandAnswer> a = h.submit("lamp", set(Map.of("power", true)));
    CompletableFuture<CommandAnswer> b = h.submit("lamp", set(Map.of("brightness", 70)));
    String c = (String) await(h.submit("curtain", action("close", Map.of(), null, false))).body().getMap().get("commandId");
    await().atMost(WAIT).until(() -> h.get(h.service::inFlightCount) == 3);

    // WHEN the gateway shuts down
    h.on(h.service::shutdown);

    // THEN every waiter is answered: the command handed to the transport is unknown (it may have
    // been executed), the one queued behind it failed (never sent); all durable
    CommandAnswer sent = await(a);
    assertEquals(504, sent.httpStatus());
    assertEquals("OUTCOME_UNKNOWN", sent.body().getMap().get("code"));
    assertEquals("unknown", sent.body().getMap().get("commandStatus"));
    CommandAnswer queued = await(b);
    assertEquals(503, queued.httpStatus());
    assertEquals("failed", queued.body().getMap().get("commandStatus"));
    assertEquals(0, h.get(h.service::inFlightCount));
    assertEquals(3, h.memory.commands.size());
    String aId = (String) sent.body().getMap().get("commandId");
    String bId = (String) queued.body().getMap().get("commandId");
    assertEquals(CommandStatus.UNKNOWN, h.memory.commands.get(aId).status());
    assertEquals(CommandStatus.FAILED, h.memory.commands.get(bId).status());
    assertEquals(List.of("unknown"), h.commandEvents(aId));
    assertEquals(CommandStatus.UNKNOWN, h.find("curtain", c).status(), "its send was started");
    assertEquals(Map.of(), h.view("lamp").pending());

    // AND the queued command is not sent when the stuck send completes
    int sentBefore = h.mqtt.sent.size();
    h.run(() -> h.mqtt.sent.forEach(s -> s.promise().tryComplete()));
    assertEquals(sentBefore, h.mqtt.sent.size());
    assertEquals(CommandStatus.FAILED, h.memory.commands.get(bId).status());

    // AND new commands are refused
    assertEquals(ErrorCode.UNAVAILABLE, failure(h.submit("lamp", set(Map.of("power", false)))).code());
  }
}
