package io.hearth.gateway.api;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes what the app API does with a JSON request body before the OpenAPI validation and the
 * handler see it (docs/fuzzing.md): {@link JsonBodyGuard#check} (size, depth, lengths, one value,
 * no trailing content), then the JSON decode the validator runs on what the guard let through
 * ({@link Json#decodeValue(Buffer)}). Lives in the guard's package to call it directly: the guard
 * is a pure function of the bytes, no router or socket needed.
 *
 * <p>Invariant: every byte array is either accepted and decodes, or refused with a client error
 * (400 MALFORMED_REQUEST or 413 PAYLOAD_TOO_LARGE); whatever else is thrown is mapped with
 * {@link Problems#toApiException} and must not be 500 INTERNAL.
 */
class JsonBodyFuzzTest {
  private static final ApiLimits LIMITS = ApiLimits.DEFAULTS;
  private static final JsonBodyGuard GUARD = new JsonBodyGuard(LIMITS);

  @FuzzTest(maxDuration = "15s")
  void body(byte[] body) {
    try {
      if (body.length > LIMITS.maxBodyBytes()) {
        return; // the body handler answers 413 before the guard runs (ApiRouter)
      }
      GUARD.check(body);
      // what the guard accepts, the JSON decoder of the validator must read too
      Object decoded = Json.decodeValue(Buffer.buffer(body));
      if (decoded == null && !"null".equals(new String(body, StandardCharsets.UTF_8).trim())) {
        throw new AssertionError("guard accepted, decoder read nothing from " + show(body));
      }
    } catch (ApiException refused) {
      if (refused.code() != ErrorCode.MALFORMED_REQUEST && refused.code() != ErrorCode.PAYLOAD_TOO_LARGE) {
        throw new AssertionError("refused with " + refused.code() + " (" + refused.getMessage() + "): " + show(body));
      }
    } catch (RuntimeException | StackOverflowError e) {
      ErrorCode code = e instanceof RuntimeException r ? Problems.toApiException(r).code() : ErrorCode.INTERNAL;
      if (code == ErrorCode.INTERNAL) {
        throw new AssertionError("a body became 500 INTERNAL (" + e + "): " + show(body), e);
      }
    }
  }

  private static String show(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
    return s.replaceAll("\\p{Cntrl}", "·") + (body.length > 300 ? "…(" + body.length + " bytes)" : "");
  }
}
