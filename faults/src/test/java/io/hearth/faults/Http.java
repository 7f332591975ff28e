package io.hearth.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The app API's HTTP client for the fault tests (the JDK's, HTTP/1.1) on a base URL such as
 * {@code http://127.0.0.1:4711/api/v1}. Every call has a deadline so a hung gateway fails the test.
 */
final class Http {
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final String base;
  private volatile String token;

  Http(String base) {
    this.base = base;
  }

  String base() {
    return base;
  }

  void token(String newToken) {
    this.token = newToken;
  }

  String token() {
    return token;
  }

  /** One answer: status, content type, the raw body and the Retry-After header (or null). */
  record Resp(int status, String contentType, String body, String retryAfter) {
    JsonObject json() {
      return body.isEmpty() ? new JsonObject() : new JsonObject(body);
    }

    /** Asserts an RFC 9457 problem with this status and code; returns its body. */
    JsonObject assertProblem(int expectedStatus, String code) {
      assertEquals(expectedStatus, status, () -> "status of " + this);
      assertTrue(contentType != null && contentType.startsWith("application/problem+json"),
          () -> "problem content type expected: " + this);
      JsonObject p = json();
      assertEquals(code, p.getString("code"), () -> "code of " + this);
      return p;
    }

    /** Asserts a JSON answer with this status; returns its body. */
    JsonObject assertJson(int expectedStatus) {
      assertEquals(expectedStatus, status, () -> "status of " + this);
      assertTrue(contentType != null && contentType.startsWith("application/json"),
          () -> "JSON content type expected: " + this);
      return json();
    }
  }

  Resp get(String path) {
    return join(getAsync(path));
  }

  CompletableFuture<Resp> getAsync(String path) {
    return client.sendAsync(request(path).GET().build(), HttpResponse.BodyHandlers.ofString()).thenApply(Http::resp);
  }

  Resp post(String path, JsonObject body, String... headers) {
    return join(postAsync(path, body, headers));
  }

  CompletableFuture<Resp> postAsync(String path, JsonObject body, String... headers) {
    HttpRequest r = request(path, headers)
        .POST(HttpRequest.BodyPublishers.ofString(body.encode(), StandardCharsets.UTF_8)).build();
    return client.sendAsync(r, HttpResponse.BodyHandlers.ofString()).thenApply(Http::resp);
  }

  private HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json").header("Accept", "application/json, application/problem+json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  private static Resp join(CompletableFuture<Resp> f) {
    try {
      return f.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw e;
    }
  }

  private static Resp resp(HttpResponse<String> r) {
    return new Resp(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body(),
        r.headers().firstValue("Retry-After").orElse(null));
  }
}
