package io.hearth.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes a JSON request body through the whole REST edge of the real gateway ({@link FuzzGateway}):
 * authentication, body limit (413), {@code JsonBodyGuard} (400), the OpenAPI validation of
 * {@code sendCommand}'s body (422/400) and its handler (409 for the offline lamp, 429 when rate
 * limited). {@code JsonBodyFuzzTest} fuzzes the guard alone, much faster; this one covers what
 * the validator and the handler do with what the guard lets through.
 *
 * <p>Invariant: the answer is never 500, every error is {@code application/problem+json}, and
 * the gateway logs no ERROR (docs/fuzzing.md).
 */
class ApiBodyFuzzTest {
  private static FuzzGateway gateway;
  private static ErrorLogs errors;
  private static HttpClient http;
  private static URI commands;

  @BeforeAll
  static void start() throws Exception {
    gateway = FuzzGateway.start();
    errors = ErrorLogs.attach();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    commands = URI.create("http://127.0.0.1:" + gateway.httpPort() + "/api/v1/devices/" + FuzzGateway.LAMP
        + "/commands");
  }

  @AfterAll
  static void stop() throws Exception {
    if (errors != null) {
      errors.detach();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @FuzzTest(maxDuration = "15s")
  void sendCommand(byte[] body) throws Exception {
    FuzzGateway.allowLoopbackConnections();
    errors.clear();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(commands)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + gateway.token())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build(), HttpResponse.BodyHandlers.ofString());
    int status = response.statusCode();
    if (status == 500) {
      throw new AssertionError("500 " + response.body() + " for " + show(body));
    }
    if (status >= 400 && !response.headers().firstValue("Content-Type").orElse("").startsWith(
        "application/problem+json")) {
      throw new AssertionError(status + " without problem+json for " + show(body));
    }
    errors.assertNone(show(body));
  }

  private static String show(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
    return "[" + s.replaceAll("\\p{Cntrl}", "·") + (body.length > 300 ? "…(" + body.length + " bytes)" : "") + "]";
  }
}
