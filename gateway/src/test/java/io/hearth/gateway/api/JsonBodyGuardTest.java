package io.hearth.gateway.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The streaming JSON limit check, without a server. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JsonBodyGuardTest {
  private final JsonBodyGuard guard = new JsonBodyGuard(new ApiLimits(16 * 1024 * 1024, 32, 16 * 1024, 100));

  @Test
  void millionLevelsDeepIsRejectedWithoutStackOverflow() {
    byte[] deep = ("[".repeat(1_000_000) + "]".repeat(1_000_000)).getBytes(StandardCharsets.UTF_8);
    ApiException e = assertThrows(ApiException.class, () -> guard.check(deep));
    assertEquals(ErrorCode.MALFORMED_REQUEST, e.code());
  }

  @Test
  void acceptsOrdinaryBodiesAndScalars() {
    assertDoesNotThrow(() -> guard.check(bytes("{\"set\":{\"power\":true,\"brightness\":60},\"timeoutMs\":5000}")));
    assertDoesNotThrow(() -> guard.check(bytes("  42 ")));
    assertDoesNotThrow(() -> guard.check(bytes("\"" + "x".repeat(16 * 1024) + "\"")));
  }

  @Test
  void rejectsBrokenOrOversizedJson() {
    for (String json : new String[] {"", "{", "{\"a\":1}}", "[1,2", "{\"a\":1} {}", "nul",
        "\"" + "x".repeat(16 * 1024 + 1) + "\"", "1" + "0".repeat(100), "1." + "5".repeat(120)}) {
      ApiException e = assertThrows(ApiException.class, () -> guard.check(bytes(json)), json);
      assertEquals(ErrorCode.MALFORMED_REQUEST, e.code(), json);
    }
  }

  @Test
  void recognisesJsonMediaTypes() {
    assertEquals(true, JsonBodyGuard.isJson("application/json; charset=utf-8"));
    assertEquals(true, JsonBodyGuard.isJson("application/merge-patch+json"));
    assertEquals(false, JsonBodyGuard.isJson("text/plain"));
    assertEquals(false, JsonBodyGuard.isJson(null));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
