package io.hearth.gateway.command;

import static io.hearth.gateway.command.CoreHarness.await;
import static io.hearth.gateway.command.CoreHarness.failure;
import static io.hearth.gateway.command.CoreHarness.set;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.api.ApiException;
import io.hearth.gateway.api.CommandAnswer;
import io.hearth.gateway.api.ErrorCode;
import io.hearth.gateway.store.CommandStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tier 2: {@code Idempotency-Key} through {@link CommandService} — repeats, conflicts, restarts, expiry. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CommandIdempotencyTest {
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

  /** The answer as the client sees it on the wire. */
  private static String wire(CommandAnswer o) {
    return o.httpStatus() + " " + o.body().encode();
  }

  /** Submits with a key, confirms it, and returns the first answer. */
  private CommandAnswer firstConfirmed(String key) {
    CompletableFuture<CommandAnswer> first = h.submit("lamp", set(Map.of("brightness", 60)), key);
    h.reply("lamp", sentCid(0), true, null);
    return await(first);
  }

  @Test
  void sequentialRepeatReturnsTheFirstAnswerAndSendsOnce() throws Exception {
    CommandAnswer first = firstConfirmed("k1");
    assertEquals(200, first.httpStatus());
    // WHEN the client repeats the request with the same key (brightness as 60.0: the same request)
    CommandAnswer again = await(h.submit("lamp", set(Map.of("brightness", 60.0)), "k1"));
    // THEN it gets the same answer and nothing more is sent
    assertEquals(wire(first), wire(again));
    assertEquals(1, h.mqtt.sent.size());
    assertEquals(1, h.memory.commands.size());
  }

  @Test
  void concurrentRepeatsShareOneCommand() throws Exception {
    // WHEN two requests with one key arrive together
    CompletableFuture<List<CommandAnswer>> both = h.async(() -> Future.all(
        h.service.submit("lamp", set(Map.of("power", true)), "k2"),
        h.service.submit("lamp", set(Map.of("power", true)), "k2"))
        .map(cf -> cf.<CommandResult>list().stream().map(CommandAnswer::of).toList()));
    h.reply("lamp", sentCid(0), true, null);
    // THEN one command went out and both got its answer
    List<CommandAnswer> answers = await(both);
    assertEquals(200, answers.get(0).httpStatus());
    assertEquals(wire(answers.get(0)), wire(answers.get(1)));
    assertEquals(1, h.mqtt.sent.size());
  }

  @Test
  void sameKeyWithAnotherBodyIsRefused() {
    firstConfirmed("k3");
    ApiException e = failure(h.submit("lamp", set(Map.of("brightness", 61)), "k3"));
    assertEquals(ErrorCode.VALIDATION_FAILED, e.code());
    assertEquals("Idempotency-Key", e.errors().get(0).property());
    // other options are part of the request too
    assertEquals(ErrorCode.VALIDATION_FAILED,
        failure(h.submit("lamp", set(Map.of("brightness", 60), 1000, true), "k3")).code());
    assertEquals(ErrorCode.VALIDATION_FAILED,
        failure(h.submit("lamp", set(Map.of("brightness", 60), null, false), "k3")).code());
    assertEquals(1, h.mqtt.sent.size());
  }

  @Test
  void anotherBodyIsRefusedWhileTheFirstIsInFlight() {
    CompletableFuture<CommandAnswer> first = h.submit("lamp", set(Map.of("power", true)), "k4");
    String cid = sentCid(0);
    assertEquals(ErrorCode.VALIDATION_FAILED, failure(h.submit("lamp", set(Map.of("power", false)), "k4")).code());
    h.reply("lamp", cid, true, null);
    assertEquals(200, await(first).httpStatus());
    assertEquals(1, h.mqtt.sent.size());
  }

  @Test
  void keysAreScopedToTheDevice() {
    await(h.submit("lamp", set(Map.of("power", true), null, false), "same"));
    await(h.submit("hall", set(Map.of("power", true), null, false), "same"));
    // both sends follow their commands' store writes, so they may trail the 202 answers
    await().atMost(WAIT).until(() -> h.mqtt.sent.size() == 2);
  }

  @Test
  void refusedRequestDoesNotUseUpItsKey() {
    h.offline("lamp", "lwt");
    assertEquals(ErrorCode.DEVICE_OFFLINE, failure(h.submit("lamp", set(Map.of("power", true)), "k5")).code());
    h.run(() -> h.states.availabilityChanged("lamp", true, null));
    CompletableFuture<CommandAnswer> retry = h.submit("lamp", set(Map.of("power", true)), "k5");
    h.reply("lamp", sentCid(0), true, null);
    assertEquals(200, await(retry).httpStatus());
  }

  @Test
  void timeoutIsReplayedToo() throws Exception {
    CommandAnswer first = await(h.submit("lamp", set(Map.of("power", true), 200, true), "k6"));
    assertEquals(504, first.httpStatus());
    assertEquals(wire(first), wire(await(h.submit("lamp", set(Map.of("power", true), 200, true), "k6"))));
    assertEquals(1, h.mqtt.sent.size());
  }

  @Test
  void repeatAfterRestartReturnsTheStoredAnswerAndSendsNothing() throws Exception {
    CommandAnswer first = firstConfirmed("k7");
    CommandAnswer unwaited = await(h.submit("lamp", set(Map.of("power", true), null, false), "k7b"));
    h.reply("lamp", sentCid(1), true, null);
    // WHEN the gateway restarts: a new command service on the same store
    FakeAdapter freshMqtt = new FakeAdapter("mqtt");
    h.service = h.newService(freshMqtt, new FakeAdapter("coap"));
    h.on(h.service::recover);
    // THEN repeats get the stored answers and nothing is sent
    assertEquals(wire(first), wire(await(h.submit("lamp", set(Map.of("brightness", 60)), "k7"))));
    assertEquals(wire(unwaited), wire(await(h.submit("lamp", set(Map.of("power", true), null, false), "k7b"))));
    assertTrue(freshMqtt.sent.isEmpty());
    // AND another body is still refused
    assertEquals(ErrorCode.VALIDATION_FAILED, failure(h.submit("lamp", set(Map.of("brightness", 1)), "k7")).code());
    assertTrue(freshMqtt.sent.isEmpty());
  }

  @Test
  void repeatAfterACrashMidCommandReportsItUnknownAndSendsNothing() {
    // GIVEN a waited command in flight when the gateway dies (its answer never given)
    h.submit("lamp", set(Map.of("power", true), 30_000, true), "k8");
    String cid = sentCid(0);
    await().atMost(WAIT).until(() -> h.memory.keyNames(cid) && h.memory.commands.containsKey(cid));
    // WHEN it restarts and recovers
    FakeAdapter freshMqtt = new FakeAdapter("mqtt");
    h.service = h.newService(freshMqtt, new FakeAdapter("coap"));
    assertEquals(1, h.on(h.service::recover));
    // THEN the client's retry learns the command's outcome is unknown (it went out), and nothing is sent again
    CommandAnswer o = await(h.submit("lamp", set(Map.of("power", true), 30_000, true), "k8"));
    assertEquals(cid, o.body().getMap().get("commandId"));
    assertEquals("unknown", o.body().getMap().get("commandStatus"));
    assertEquals("OUTCOME_UNKNOWN", o.body().getMap().get("code"));
    assertTrue(o.isError());
    assertTrue(freshMqtt.sent.isEmpty());
    assertEquals(1, h.mqtt.sent.size(), "the dead instance sent it once");
  }

  @Test
  void keyExpiresAfter24Hours() {
    firstConfirmed("k9");
    h.clock.advance(Duration.ofHours(24).plusSeconds(1));
    CompletableFuture<CommandAnswer> later = h.submit("lamp", set(Map.of("brightness", 60)), "k9");
    String second = sentCid(1);
    assertNotEquals(h.mqtt.sent.get(0).cid(), second);
    h.reply("lamp", second, true, null);
    assertEquals(second, await(later).body().getMap().get("commandId"));
  }

  @Test
  void keyStillHoldsJustBefore24Hours() {
    CommandAnswer first = firstConfirmed("k10");
    h.clock.advance(Duration.ofHours(24).minusSeconds(1));
    assertEquals(first.body().getMap().get("commandId"),
        await(h.submit("lamp", set(Map.of("brightness", 60)), "k10")).body().getMap().get("commandId"));
    assertEquals(1, h.mqtt.sent.size());
  }

  @Test
  void commandAndKeyAreDurableBeforeTheSend() {
    // GIVEN store writes held back, and an adapter that notes what was durable when it was asked to send
    h.memory.writeGate = new CountDownLatch(1);
    h.mqtt.checkAtSend = c -> h.memory.commands.containsKey(c.commandId()) && h.memory.keyNames(c.commandId());
    CompletableFuture<CommandAnswer> answer = h.submit("lamp", set(Map.of("power", true), null, false), "k11");
    // WHEN the first write reached the store, and the core finished what it did at that moment
    try {
      assertTrue(h.memory.writeArrived.await(5, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    h.run(() -> { });
    h.memory.writeGate.countDown();
    // THEN the command went out only once the record and the key were stored
    assertEquals(202, await(answer).httpStatus());
    String cid = sentCid(0);
    assertTrue(h.mqtt.sent.get(0).checkHeld(), "sent before the command and its key were durable");
    assertEquals(CommandStatus.SENT, h.find("lamp", cid).status());
  }
}
