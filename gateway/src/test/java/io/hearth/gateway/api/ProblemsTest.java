package io.hearth.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hearth.gateway.api.ApiException.FieldError;
import io.vertx.core.json.JsonObject;
import java.util.List;
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
  void instanceLocationsBecomeDottedProperties() {
    assertEquals("", SchemaErrors.property("#"));
    assertEquals("timeoutMs", SchemaErrors.property("#/timeoutMs"));
    assertEquals("set.brightness", SchemaErrors.property("/set/brightness"));
    assertEquals("a/b", SchemaErrors.property("#/a~1b"));
  }
}
