package io.hearth.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hearth.gateway.command.CommandResult;
import io.hearth.gateway.domain.CommandNotFoundException;
import io.hearth.gateway.domain.DeviceNotFoundException;
import io.hearth.gateway.domain.DeviceOfflineException;
import io.hearth.gateway.domain.DomainException;
import io.hearth.gateway.domain.FieldError;
import io.hearth.gateway.domain.UnauthenticatedException;
import io.hearth.gateway.domain.UnavailableException;
import io.hearth.gateway.domain.ValidationException;
import io.hearth.gateway.store.FailureReason;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Problem bodies and status mapping, without a server. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProblemsTest {

  @Test
  void problemJsonHasEveryRfc9457MemberAndTheCode() {
    JsonObject json = Problems.toJson(ApiException.validation(List.of(new FieldError("brightness", "must be ≤ 100"))));
    assertEquals(new JsonObject()
        .put("type", "https://hearth.dev/problems/validation-failed")
        .put("title", "Validation failed")
        .put("status", 422)
        .put("detail", "brightness must be ≤ 100")
        .put("code", "VALIDATION_FAILED")
        .put("errors", new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("property", "brightness").put("message", "must be ≤ 100"))), json);
    assertFalse(Problems.toJson(ApiException.deviceNotFound("x")).containsKey("errors"));
  }

  @Test
  void routerStatusesMapToCodesAndClientMistakesNeverTo500() {
    assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, Problems.fromStatus(413).code());
    assertEquals(ErrorCode.NOT_FOUND, Problems.fromStatus(404).code());
    assertEquals(ErrorCode.METHOD_NOT_ALLOWED, Problems.fromStatus(405).code());
    assertEquals(ErrorCode.UNSUPPORTED_MEDIA_TYPE, Problems.fromStatus(415).code());
    assertEquals(ErrorCode.MALFORMED_REQUEST, Problems.fromStatus(414).code());
    assertEquals(ErrorCode.INTERNAL, Problems.fromStatus(500).code());
  }

  @Test
  void domainExceptionsMapToTheirCodesWithTheirDetail() {
    // GIVEN one of each domain exception WHEN converted at the REST edge THEN code, status and detail
    Map<DomainException, ErrorCode> cases = new LinkedHashMap<>();
    cases.put(new DeviceNotFoundException("x"), ErrorCode.DEVICE_NOT_FOUND);
    cases.put(new CommandNotFoundException("c"), ErrorCode.COMMAND_NOT_FOUND);
    cases.put(new DeviceOfflineException("x", "device 'x' is offline"), ErrorCode.DEVICE_OFFLINE);
    cases.put(new UnavailableException("the gateway is shutting down"), ErrorCode.UNAVAILABLE);
    cases.put(new UnauthenticatedException("the code is unknown, used or expired"), ErrorCode.UNAUTHORIZED);
    cases.put(ValidationException.of("timeoutMs", "must be between 1 and 60000"), ErrorCode.VALIDATION_FAILED);
    cases.forEach((e, code) -> {
      ApiException api = Problems.toApiException(e);
      assertEquals(code, api.code(), e.getClass().getSimpleName());
      assertEquals(e.getMessage(), api.getMessage());
    });
    assertEquals("no device 'x'", Problems.toApiException(new DeviceNotFoundException("x")).getMessage());
    assertEquals(List.of(new FieldError("timeoutMs", "must be between 1 and 60000")),
        Problems.toApiException(ValidationException.of("timeoutMs", "must be between 1 and 60000")).errors());
    assertEquals("timeoutMs must be between 1 and 60000",
        Problems.toApiException(ValidationException.of("timeoutMs", "must be between 1 and 60000")).getMessage());
  }

  @Test
  void aClientErrorStatusWithAPayloadKeepsItAsTheDetail() {
    ApiException e = Problems.toApiException(new HttpException(400, "a WebSocket upgrade is required here"));
    assertEquals(ErrorCode.MALFORMED_REQUEST, e.code());
    assertEquals("a WebSocket upgrade is required here", e.getMessage());
    assertEquals("the request is malformed", Problems.toApiException(new HttpException(400)).getMessage());
  }

  @Test
  void commandResultsAnswerAsBefore() {
    // accepted: 202 with the id and status
    CommandAnswer pending = CommandAnswer.of(new CommandResult.Accepted("c1"));
    assertEquals(202, pending.httpStatus());
    assertEquals("{\"commandId\":\"c1\",\"status\":\"pending\"}", pending.body().encode());
    assertEquals("application/json", pending.contentType());
    // succeeded: 200 with the device's state then
    CommandAnswer ok = CommandAnswer.of(new CommandResult.Succeeded("c1", "lamp", Map.of("power", true), 3L));
    assertEquals(200, ok.httpStatus());
    assertEquals("{\"commandId\":\"c1\",\"status\":\"succeeded\",\"device\":\"lamp\",\"state\":{\"power\":true},"
        + "\"version\":3}", ok.body().encode());
    // failed: a problem per reason, with the command's id and status
    Map<FailureReason, ErrorCode> codes = Map.of(FailureReason.REJECTED, ErrorCode.DEVICE_REJECTED,
        FailureReason.UNREACHABLE, ErrorCode.DEVICE_OFFLINE, FailureReason.TIMED_OUT, ErrorCode.COMMAND_TIMEOUT,
        FailureReason.SHUTDOWN, ErrorCode.UNAVAILABLE, FailureReason.STORE, ErrorCode.INTERNAL,
        FailureReason.EXPIRED, ErrorCode.DEVICE_OFFLINE, FailureReason.OUTCOME_UNKNOWN, ErrorCode.OUTCOME_UNKNOWN);
    assertEquals(FailureReason.values().length, codes.size());
    codes.forEach((reason, code) -> {
      CommandAnswer a = CommandAnswer.of(new CommandResult.Failed("c2", reason, "what happened"));
      assertEquals(code.status(), a.httpStatus(), reason.name());
      assertEquals(Problems.CONTENT_TYPE, a.contentType());
      assertEquals(new JsonObject().put("type", code.type()).put("title", code.title()).put("status", code.status())
          .put("detail", "what happened").put("code", code.name()).put("commandId", "c2")
          .put("commandStatus", switch (reason) {
            case TIMED_OUT -> "timed_out";
            case OUTCOME_UNKNOWN -> "unknown";
            default -> "failed";
          }).encode(), a.body().encode());
    });
  }

  @Test
  void instanceLocationsBecomeDottedProperties() {
    assertEquals("", SchemaErrors.property("#"));
    assertEquals("timeoutMs", SchemaErrors.property("#/timeoutMs"));
    assertEquals("set.brightness", SchemaErrors.property("/set/brightness"));
    assertEquals("a/b", SchemaErrors.property("#/a~1b"));
  }
}
