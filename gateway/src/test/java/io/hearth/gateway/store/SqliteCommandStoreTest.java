package io.hearth.gateway.store;

import static io.hearth.gateway.store.Fixtures.T0;
import static io.hearth.gateway.store.Fixtures.coapDevice;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link SqliteCommandStore}: command records and idempotency keys. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SqliteCommandStoreTest extends SqliteTestBase {
  @Test
  void commandsLifecycleAndUnfinished() {
    // GIVEN three commands in different statuses
    store.devices().upsert(coapDevice("d"));
    CommandRecord pending = new CommandRecord("c1", "d", "{\"set\":{\"power\":true}}", CommandStatus.PENDING,
        null, T0, null);
    CommandRecord sent = new CommandRecord("c2", "d", "{\"action\":\"open\"}", CommandStatus.SENT, null,
        T0.plusMillis(1), null);
    CommandRecord done = new CommandRecord("c3", "d", "{}", CommandStatus.PENDING, null, T0.plusMillis(2), null);
    store.commands().save(pending);
    store.commands().save(sent);
    store.commands().save(done);
    CommandRecord failed = done.withStatus(CommandStatus.FAILED, "device said no", T0.plusSeconds(1));
    store.commands().save(failed);
    store.commands().save(new CommandRecord("c4", "ghost", "{}", CommandStatus.PENDING, null, T0, null));
    reopen();
    // THEN unfinished are the non-terminal ones, oldest first; updates are kept
    assertEquals(List.of(pending, sent), store.commands().unfinished());
    assertEquals(Optional.of(failed), store.commands().find("c3"));
    assertEquals(Optional.empty(), store.commands().find("c4"));
    // purge removes terminal ones completed before the cutoff only
    assertEquals(0, store.commands().purge(T0.plusSeconds(1)));
    assertEquals(1, store.commands().purge(T0.plusSeconds(2)));
    assertEquals(Optional.empty(), store.commands().find("c3"));
    assertEquals(2, store.commands().unfinished().size());
  }

  @Test
  void unknownCommandsAreTerminalFoundByWhenTheyEndedAndPurged() {
    // GIVEN commands that ended unknown at two times, and one that failed
    store.devices().upsert(coapDevice("d"));
    CommandRecord early = new CommandRecord("u1", "d", "{\"set\":{\"power\":true}}", CommandStatus.UNKNOWN,
        "may have been executed", T0, T0.plusSeconds(10));
    CommandRecord late = new CommandRecord("u2", "d", "{\"action\":\"open\"}", CommandStatus.UNKNOWN,
        "may have been executed", T0.plusSeconds(1), T0.plusSeconds(20));
    CommandRecord failed = new CommandRecord("f1", "d", "{}", CommandStatus.FAILED, "no", T0, T0.plusSeconds(20));
    List.of(early, late, failed).forEach(store.commands()::save);
    reopen();
    // THEN they are not unfinished, unknownSince finds those that ended since a time, oldest first
    assertEquals(List.of(), store.commands().unfinished());
    assertEquals(List.of(early, late), store.commands().unknownSince(T0.plusSeconds(10)));
    assertEquals(List.of(late), store.commands().unknownSince(T0.plusSeconds(11)));
    assertEquals(List.of(), store.commands().unknownSince(T0.plusSeconds(21)));
    // AND a purge removes them like any terminal command
    assertEquals(3, store.commands().purge(T0.plusSeconds(21)));
  }

  @Test
  void aSupersededCommandIsFinishedAndPurgedLikeAnyEndedOne() {
    // GIVEN a command that ended superseded (a newer set replaced it before it was sent)
    store.devices().upsert(coapDevice("d"));
    CommandRecord superseded = new CommandRecord("s1", "d", "{\"set\":{\"brightness\":20}}",
        CommandStatus.PENDING, null, T0, null).withStatus(CommandStatus.SUPERSEDED, null, T0.plusSeconds(1));
    store.commands().save(superseded);
    reopen();
    // THEN it is read back as such, is not unfinished (a restart leaves it alone), and is purged
    assertEquals(Optional.of(superseded), store.commands().find("s1"));
    assertEquals(List.of(), store.commands().unfinished());
    assertEquals(1, store.commands().purge(T0.plusSeconds(2)));
  }

  @Test
  void idempotencyFindSavePurge() {
    IdempotencyRecord first = new IdempotencyRecord("u1:lamp:k1", "h1", "c1", CommandStatus.SUCCEEDED, null, null,
        "{\"power\":true}", 7L, T0);
    IdempotencyRecord later = new IdempotencyRecord("u1:lamp:k2", "h2", "c2", CommandStatus.TIMED_OUT,
        FailureReason.TIMED_OUT, "no confirmation", null, null, T0.plusSeconds(3600));
    IdempotencyRecord reserved = IdempotencyRecord.reserved("u1:lamp:k3", "h3", "c3", T0.plusSeconds(3600));
    store.commands().saveIdempotency(first);
    store.commands().saveIdempotency(later);
    store.commands().saveIdempotency(reserved);
    reopen();
    assertEquals(Optional.of(first), store.commands().findIdempotency("u1:lamp:k1"));
    assertEquals(Optional.of(reserved), store.commands().findIdempotency("u1:lamp:k3"));
    assertEquals(Optional.empty(), store.commands().findIdempotency("other"));
    assertEquals(1, store.commands().purgeIdempotency(T0.plusSeconds(1)));
    assertEquals(Optional.empty(), store.commands().findIdempotency("u1:lamp:k1"));
    assertEquals(Optional.of(later), store.commands().findIdempotency("u1:lamp:k2"));
  }
}
