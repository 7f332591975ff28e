package io.hearth.gateway.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A real HTTP client for the app API (the JDK's, keep-alive, HTTP/1.1) on a base URL such as
 * {@code http://127.0.0.1:4711/api/v1}. Every call has a deadline so a hung server fails the test.
 */
final class Http {
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private volatile String base;
  private volatile String token;

  Http(String base) {
    this.base = base;
  }

  void base(String newBase) {
    this.base = newBase;
  }

  String base() {
    return base;
  }

  /** The bearer token sent with every request from now on (null: none). */
  void token(String newToken) {
    this.token = newToken;
  }

  /** One answer: status, content type and the raw body. */
  record Resp(int status, String contentType, String body) {
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
      assertEquals(expectedStatus, p.getInteger("status"), () -> "problem status of " + this);
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
    return send(request(path).GET());
  }

  Resp put(String path, JsonObject body) {
    return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(body.encode(), StandardCharsets.UTF_8)));
  }

  Resp delete(String path) {
    return send(request(path).DELETE());
  }

  Resp post(String path, String body, String... headers) {
    return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
  }

  Resp post(String path, JsonObject body, String... headers) {
    return post(path, body.encode(), headers);
  }

  CompletableFuture<Resp> postAsync(String path, JsonObject body, String... headers) {
    HttpRequest r = request(path, headers).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
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

  private Resp send(HttpRequest.Builder b) {
    try {
      return resp(client.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Resp resp(HttpResponse<String> r) {
    return new Resp(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
  }
}
