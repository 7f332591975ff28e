package io.hearth.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.api.CommandAnswer;
import io.hearth.gateway.api.ErrorCode;
import io.hearth.gateway.api.Problems;
import io.hearth.gateway.command.CommandResult;
import io.hearth.gateway.domain.CommandNotFoundException;
import io.hearth.gateway.domain.DeviceNotFoundException;
import io.hearth.gateway.domain.DeviceOfflineException;
import io.hearth.gateway.domain.DomainException;
import io.hearth.gateway.domain.UnauthenticatedException;
import io.hearth.gateway.domain.UnavailableException;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.store.FailureReason;
import io.vertx.core.json.JsonObject;
import io.hearth.gateway.store.StoreUnavailableException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket's error mapping ({@link WsErrors}) against the REST one: the two edges map each
 * domain failure on their own, and must give the same code and message (docs/websocket.md: "Codes
 * are the REST codes").
 */
class WsErrorsTest {

  @Test
  void everyWebSocketCodeIsARestCode() {
    for (WsError.Code code : WsError.Code.values()) {
      ErrorCode.valueOf(code.name()); // throws if the REST API has no such code
    }
  }

  @Test
  void domainExceptionsGetTheRestCodeAndMessage() {
    List<DomainException> all = List.of(new DeviceNotFoundException("x"), new CommandNotFoundException("c"),
        new DeviceOfflineException("x", "device 'x' is offline"), new UnavailableException("shutting down"),
        new UnauthenticatedException("bad token"), ValidationException.of("kinds", "unknown kind"),
        new io.hearth.gateway.domain.TooManyWaitingException("x", 16));
    for (DomainException e : all) {
      WsError ws = WsErrors.of(e).orElseThrow();
      assertEquals(Problems.toApiException(e).code().name(), ws.code().name(), e.getClass().getSimpleName());
      assertEquals(e.getMessage(), ws.getMessage());
    }
    assertEquals("kinds unknown kind", WsErrors.of(ValidationException.of("kinds", "unknown kind")).orElseThrow()
        .getMessage());
  }

  @Test
  void anUnavailableStoreIsTheSameOnBothEdges() {
    StoreUnavailableException full = new StoreUnavailableException(StoreUnavailableException.Reason.DISK_FULL,
        "saveCommand failed: database or disk is full");
    WsError ws = WsErrors.of(full).orElseThrow();
    assertEquals("STORE_UNAVAILABLE", ws.code().name());
    assertEquals(Problems.toApiException(full).code().name(), ws.code().name());
    assertEquals(Problems.toApiException(full).getMessage(), ws.getMessage());
    assertTrue(ws.getMessage().contains("disk full") && !ws.getMessage().contains("saveCommand"), ws.getMessage());
  }

  @Test
  void failedCommandsGetTheRestCodeAndDetail() {
    for (FailureReason reason : FailureReason.values()) {
      CommandResult.Failed failed = new CommandResult.Failed("c1", reason, "what happened");
      WsError ws = WsErrors.of(failed);
      assertEquals(CommandAnswer.of(failed).body().getString("code"), ws.code().name(), reason.name());
      JsonObject message = new JsonObject(WsMessages.error(7, ws));
      assertEquals(new JsonObject().put("id", 7).put("type", "result").put("ok", false)
          .put("error", new JsonObject().put("code", ws.code().name()).put("message", "what happened")), message);
    }
  }

  @Test
  void anUnexpectedFailureIsLeftToTheCaller() {
    assertTrue(WsErrors.of(new IllegalStateException("bug")).isEmpty());
    WsError own = WsError.malformed("the message is not JSON");
    assertEquals(own, WsErrors.of(own).orElseThrow());
  }
}
